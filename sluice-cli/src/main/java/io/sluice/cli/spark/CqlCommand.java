package io.sluice.cli.spark;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ColumnDefinition;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.sluice.cli.CliException;
import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.spark.Endpoints;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice cql "SELECT ..."}: runs one CQL statement on the configured Cassandra. */
@Command(
    name = "cql",
    mixinStandardHelpOptions = true,
    description = "Run a CQL statement against the configured Cassandra and print the rows.")
public final class CqlCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      description = "The statement, e.g. \"SELECT * FROM spark_streams.created_users LIMIT 10\".")
  String statement;

  @Option(
      names = {"-k", "--keyspace"},
      description = "Keyspace for unqualified table names.")
  String keyspace;

  @Option(
      names = "--limit",
      defaultValue = "1000",
      description = "Most rows to print (default ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table or json")
  OutputFormat output;

  @Override
  public Integer call() {
    SluiceConfig config = SluiceConfig.load();
    String contactPoints = Endpoints.cassandraContactPoints(config);
    var builder =
        CqlSession.builder()
            .addContactPoints(Endpoints.parseHostPorts(contactPoints))
            .withLocalDatacenter(config.get(Settings.CASSANDRA_DATACENTER));
    if (keyspace != null) builder.withKeyspace(keyspace);
    CqlSession session;
    try {
      session = builder.build();
    } catch (RuntimeException e) {
      throw new CliException(
          "cannot reach Cassandra at " + contactPoints + ": " + e.getMessage(), 1);
    }
    try (session) {
      ResultSet rs;
      try {
        rs =
            session.execute(
                SimpleStatement.newInstance(statement).setTimeout(Duration.ofSeconds(30)));
      } catch (RuntimeException e) {
        throw new CliException(e.getMessage(), 1);
      }
      List<String> columns = new ArrayList<>();
      for (ColumnDefinition c : rs.getColumnDefinitions()) columns.add(c.getName().asCql(true));
      List<Map<String, Object>> rows = new ArrayList<>();
      for (Row r : rs) {
        if (rows.size() >= limit) break;
        Map<String, Object> row = new LinkedHashMap<>();
        for (int i = 0; i < columns.size(); i++) row.put(columns.get(i), r.getObject(i));
        rows.add(row);
      }
      if (columns.isEmpty()) {
        System.out.println("OK");
        return 0;
      }
      Output.print(output, rows, columns);
      if (output == OutputFormat.table) System.err.println("(" + rows.size() + " rows)");
      return 0;
    }
  }
}
