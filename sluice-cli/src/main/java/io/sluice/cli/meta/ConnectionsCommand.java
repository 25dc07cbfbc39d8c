package io.sluice.cli.meta;

import io.sluice.api.Connection;
import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.core.engine.ConnectionResolver;
import io.sluice.core.secrets.Masking;
import io.sluice.core.service.ConnectionService;
import io.sluice.core.service.ImportResult;
import io.sluice.web.auth.Audit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice connections add | get | list | delete}, as Airflow's, secrets always masked. */
@Command(
    name = "connections",
    mixinStandardHelpOptions = true,
    description = {
      "Manage connections to external systems; passwords and extras are encrypted at rest.",
      "kafka_default, cassandra_default, spark_default, s3_default, randomuser_default and"
          + " openmeteo_default exist by default and follow the configuration until overridden."
    },
    subcommands = {
      ConnectionsCommand.Add.class,
      ConnectionsCommand.Get.class,
      ConnectionsCommand.ListConnections.class,
      ConnectionsCommand.Delete.class,
      ConnectionsCommand.Import.class,
      ConnectionsCommand.Export.class
    })
public final class ConnectionsCommand implements Runnable {
  static final List<String> COLUMNS =
      List.of(
          "conn_id", "conn_type", "host", "port", "login", "password", "schema", "extra", "source");

  @Override
  public void run() {
    throw new CliException(
        "choose a sub-command: add, get, list, delete, import or export (see --help)", 2);
  }

  /** {@code sluice connections add ID --uri URI}, or the parts as options. */
  @Command(
      name = "add",
      mixinStandardHelpOptions = true,
      description = "Add or replace a connection.")
  static final class Add implements Runnable {
    @Parameters(index = "0", description = "Connection id, e.g. kafka_default.")
    String connId;

    @Option(names = "--uri", description = "type://login:password@host:port/schema?extra_key=value")
    String uri;

    @Option(
        names = "--conn-type",
        description = "Type (kafka, cassandra, s3, http, spark, postgres...).")
    String type;

    @Option(names = "--conn-host")
    String host;

    @Option(names = "--conn-port")
    Integer port;

    @Option(names = "--conn-login")
    String login;

    @Option(
        names = "--conn-password",
        interactive = true,
        arity = "0..1",
        description = "Prompted for when given without a value; never put it on the command line.")
    char[] password;

    @Option(names = "--conn-schema")
    String schema;

    @Option(names = "--conn-extra", description = "Extra key=value pairs (repeatable).")
    Map<String, String> extra = new LinkedHashMap<>();

    @Option(names = "--conn-description")
    String description;

    @Override
    public void run() {
      Connection c;
      if (uri != null) {
        try {
          c = ConnectionResolver.parseUri(connId, uri);
        } catch (IllegalArgumentException e) {
          throw new CliException(
              "invalid --uri '" + Masking.inText(uri) + "': " + Masking.inText(e.getMessage()), 2);
        }
        if (c.type() == null)
          throw new CliException("--uri needs a scheme naming the type, e.g. kafka://host:9092", 2);
      } else {
        if (type == null) throw new CliException("give --uri, or --conn-type with the parts", 2);
        c =
            new Connection(
                connId,
                type,
                host,
                port,
                login,
                password == null ? null : new String(password),
                schema,
                extra);
      }
      try (MetadataAccess meta = MetadataAccess.open()) {
        meta.connections().put(c, description);
      }
      Audit.command("connections add", connId);
      System.out.println("connection " + connId + " saved (" + c.type() + ")");
    }
  }

  /** {@code sluice connections get ID}. */
  @Command(
      name = "get",
      mixinStandardHelpOptions = true,
      description = "Show one connection, secrets masked.")
  static final class Get implements Runnable {
    @Parameters(index = "0")
    String connId;

    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      Map<String, Object> row =
          all().stream()
              .filter(r -> r.get("conn_id").equals(connId))
              .findFirst()
              .orElseThrow(
                  () ->
                      new CliException(
                          "no connection '" + connId + "' (see `sluice connections list`)"));
      Output.print(output, List.of(row), COLUMNS);
    }
  }

  /** {@code sluice connections list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List connections, secrets masked.")
  static final class ListConnections implements Runnable {
    @Option(
        names = {"-o", "--output"},
        defaultValue = "table",
        description = "table or json")
    OutputFormat output;

    @Override
    public void run() {
      Output.print(output, all(), COLUMNS);
    }
  }

  /** {@code sluice connections delete ID}. */
  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete a stored connection.")
  static final class Delete implements Runnable {
    @Parameters(index = "0")
    String connId;

    @Override
    public void run() {
      try (MetadataAccess meta = MetadataAccess.open()) {
        if (!meta.connections().delete(connId))
          throw new CliException("no stored connection '" + connId + "'");
      }
      Audit.command("connections delete", connId);
      System.out.println("connection " + connId + " deleted");
    }
  }

  /** {@code sluice connections import FILE}, Airflow's JSON. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Store connections from a JSON file as Airflow's export writes it: {\"conn_id\":"
            + " {\"conn_type\", \"host\", \"login\", \"password\", \"schema\", \"port\","
            + " \"extra\", \"description\"}}, or {\"conn_id\": \"type://login:password@host\"}.",
        "An existing connection is skipped unless --overwrite. A malformed file stores nothing."
      })
  static final class Import implements Runnable {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--overwrite", description = "Replace connections that exist already.")
    boolean overwrite;

    @Override
    public void run() {
      String json = ExportFile.read(file, "connections");
      ImportResult r;
      try (MetadataAccess meta = MetadataAccess.open()) {
        r = new ConnectionService(meta.connections()).importJson(json, overwrite);
      }
      Audit.command("connections import", String.join(",", r.imported()));
      r.imported().forEach(id -> System.out.println("Imported connection " + id));
      r.skipped()
          .forEach(
              id ->
                  System.out.println(
                      "Could not import connection " + id + ": connection already exists."));
    }
  }

  /** {@code sluice connections export FILE}, Airflow's JSON. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Write every stored connection to a JSON file, as Airflow's export (the defaults that follow"
            + " the configuration are not stored, so not exported).",
        "Passwords and extras are the real ones: the file is readable by its owner only."
      })
  static final class Export implements Runnable {
    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(
        names = {"--file-format", "--format"},
        defaultValue = "json",
        description = "json (the only format).")
    String format;

    @Override
    public void run() {
      if (!format.equalsIgnoreCase("json"))
        throw new CliException("unsupported --file-format '" + format + "': use json", 2);
      try (MetadataAccess meta = MetadataAccess.open()) {
        ConnectionService conns = new ConnectionService(meta.connections());
        ExportFile.write(file, conns.exportJson(), "connections");
        System.out.println(conns.count() + " connections successfully exported to " + file);
      }
    }
  }

  /** Stored connections, then the defaults that no stored one overrides. */
  static List<Map<String, Object>> all() {
    Map<String, Map<String, Object>> rows = new TreeMap<>();
    try (MetadataAccess meta = MetadataAccess.open()) {
      DefaultConnections.of(meta.config)
          .values()
          .forEach(c -> rows.put(c.connId(), row(c, "default")));
      meta.connections().list().forEach(c -> rows.put(c.connId(), row(c, "stored")));
    }
    return new ArrayList<>(rows.values());
  }

  static Map<String, Object> row(Connection c, String source) {
    var row = new LinkedHashMap<String, Object>();
    row.put("conn_id", c.connId());
    row.put("conn_type", c.type());
    row.put("host", Masking.inText(c.host()));
    row.put("port", c.port());
    row.put("login", c.login());
    row.put("password", c.password() == null ? null : Masking.MASK);
    row.put("schema", Masking.inText(c.schema()));
    var extra = new LinkedHashMap<String, String>();
    c.extra().forEach((k, v) -> extra.put(k, Masking.value(k, v)));
    row.put("extra", extra);
    row.put("source", source);
    return row;
  }
}
