package io.sluice.core.secrets;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The secrets a local installation generates for itself when none is configured, one file each
 * under {@code <data dir>/secrets/} (owner-only): {@code secret.key} (secrets at rest), {@code
 * hmac.key} (post code hashes), {@code db.password} (the embedded metadata database) and {@code
 * jwt.key} (the web server's token signatures). Every process of one installation reads the same
 * files, so they agree without configuration; the first to need one creates it, atomically.
 */
public final class LocalSecrets {
  private static final Logger LOG = LoggerFactory.getLogger(LocalSecrets.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * The password the embedded metadata database was created with before it had a generated one;
   * {@code EmbeddedDbLogin} replaces it on first use.
   */
  public static final String LEGACY_DB_PASSWORD = "sluice";

  private LocalSecrets() {}

  /** The folder of the local secrets under {@code config}'s data directory. */
  public static Path dir(SluiceConfig config) {
    return config.dataDir().resolve("secrets");
  }

  /** {@code db.password} when configured, else the one generated under the data directory. */
  public static String dbPassword(SluiceConfig config) {
    var configured = config.find(Settings.DB_PASSWORD).filter(s -> !s.isEmpty());
    if (configured.isPresent()) return configured.get();
    return readOrCreate(
        dir(config).resolve("db.password"),
        HexFormat.of().formatHex(randomBytes(24)),
        "generated a password for the embedded metadata database");
  }

  /** {@code n} bytes from a strong random source. */
  public static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    RANDOM.nextBytes(b);
    return b;
  }

  /**
   * The content of {@code file}, trimmed; when it does not exist, writes {@code fresh} there first
   * (readable by the owner only) and logs {@code what} as a warning. Of several processes creating
   * it at once, the first wins and all read its value.
   */
  public static synchronized String readOrCreate(Path file, String fresh, String what) {
    try {
      if (!Files.exists(file)) {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
          Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
          // not a POSIX file system
        }
        Files.writeString(tmp, fresh);
        try {
          // why: a plain move would replace a file another process created meanwhile
          Files.createLink(file, tmp);
          LOG.warn("{}: {} (keep this file)", what, file.toAbsolutePath());
        } catch (FileAlreadyExistsException raced) {
          // another process won; its value is the one
        } catch (UnsupportedOperationException | IOException noLinks) {
          if (!Files.exists(file)) Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
          Files.deleteIfExists(tmp);
        }
      }
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create " + file, e);
    }
  }
}
