package io.sluice.core.config;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which server the local stack's metadata database is ({@link Settings#DB_METADATA}): H2, or a
 * PostgreSQL cluster under the data directory. Commands in other processes find a running cluster
 * by its {@code postmaster.pid}, so they need no flag.
 */
public final class LocalMetadata {
  private LocalMetadata() {}

  /** True when the configuration asks for PostgreSQL: {@code db.metadata}, or the seeds profile. */
  public static boolean postgresRequested(SluiceConfig config) {
    return config
        .find(Settings.DB_METADATA)
        .map("postgres"::equals)
        .orElse(config.get(Settings.STACK_PROFILE).equals("seeds"));
  }

  /**
   * True when the metadata database is the local PostgreSQL cluster: asked for, or (with {@code
   * db.metadata} unset) running from this data directory.
   */
  public static boolean postgres(SluiceConfig config) {
    if (config.isSet(Settings.DB_METADATA) || postgresRequested(config))
      return postgresRequested(config);
    return Files.exists(postgresDir(config).resolve("data").resolve("postmaster.pid"));
  }

  /** Where the local PostgreSQL cluster lives. */
  public static Path postgresDir(SluiceConfig config) {
    return config.dataDir().resolve("metadata").resolve("postgres");
  }

  /** The JDBC URL of the local PostgreSQL cluster's database {@code sluice}. */
  public static String postgresUrl(SluiceConfig config) {
    return "jdbc:postgresql://127.0.0.1:" + config.get(Settings.DB_PORT) + "/sluice";
  }
}
