package io.sluice.spark.source;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.connector.catalog.Column;
import org.apache.spark.sql.connector.catalog.SupportsRead;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableCapability;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.connector.metric.CustomMetric;
import org.apache.spark.sql.connector.metric.CustomTaskMetric;
import org.apache.spark.sql.connector.read.Batch;
import org.apache.spark.sql.connector.read.Scan;
import org.apache.spark.sql.connector.read.ScanBuilder;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.kafka010.KafkaSourceProvider;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;

/**
 * Spark's Kafka source ({@code format("kafka")}, the same options and offsets, so checkpoints move
 * between the two) whose micro-batch stream, when it finds no new records, waits for them in one
 * fetch that the broker holds until a record is committed or {@link #IDLE_WAIT} passes, instead of
 * asking for the end offsets again after every {@code spark.sql.streaming.pollingDelay}. Use it by
 * class name: {@code format(IdleWaitKafkaProvider.class.getName())}.
 */
public final class IdleWaitKafkaProvider implements TableProvider, DataSourceRegister {
  /**
   * The longest an idle query waits in one look for new records, unless its {@link
   * #IDLE_WAIT_OPTION} says otherwise.
   *
   * <p>why 30 s: a record committed during the wait ends it at once, so the wait's length costs no
   * latency; each wait ends in two end-offset requests and a new fetch, which a longer wait makes
   * rarer.
   */
  public static final Duration IDLE_WAIT = Duration.ofSeconds(30);

  /**
   * The source option that sets a query's longest idle wait in milliseconds; 0 for none, for a
   * query whose processing-time trigger already spaces its looks (a wait inside an interval
   * overruns it).
   */
  public static final String IDLE_WAIT_OPTION = "sluice.idleWaitMs";

  private final KafkaSourceProvider kafka = new KafkaSourceProvider();

  @Override
  public String shortName() {
    return "sluice-kafka";
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return kafka.inferSchema(options);
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new IdleWaitTable((SupportsRead) kafka.getTable(schema, partitioning, properties));
  }

  /** The Kafka consumer settings of a source's {@code kafka.*} options, without the prefix. */
  static Map<String, Object> consumerSettings(Map<String, String> options) {
    Map<String, Object> settings = new HashMap<>();
    options.forEach(
        (k, v) -> {
          if (k.toLowerCase(java.util.Locale.ROOT).startsWith("kafka."))
            settings.put(k.substring("kafka.".length()), v);
        });
    return settings;
  }

  private record IdleWaitTable(SupportsRead table) implements SupportsRead {
    @Override
    public String name() {
      return table.name();
    }

    @Override
    @SuppressWarnings("deprecation")
    public StructType schema() {
      return table.schema();
    }

    @Override
    public Column[] columns() {
      return table.columns();
    }

    @Override
    public Set<TableCapability> capabilities() {
      return table.capabilities();
    }

    @Override
    public ScanBuilder newScanBuilder(CaseInsensitiveStringMap options) {
      ScanBuilder builder = table.newScanBuilder(options);
      Duration wait = Duration.ofMillis(options.getLong(IDLE_WAIT_OPTION, IDLE_WAIT.toMillis()));
      return () -> new IdleWaitScan(builder.build(), consumerSettings(options), wait);
    }
  }

  private record IdleWaitScan(Scan scan, Map<String, Object> consumer, Duration idleWait)
      implements Scan {
    @Override
    public StructType readSchema() {
      return scan.readSchema();
    }

    @Override
    public String description() {
      return scan.description();
    }

    @Override
    public Batch toBatch() {
      return scan.toBatch();
    }

    @Override
    public MicroBatchStream toMicroBatchStream(String checkpointLocation) {
      return new IdleWaitStream(
          scan.toMicroBatchStream(checkpointLocation),
          new CommittedRecordWaiter(consumer),
          idleWait);
    }

    @Override
    public CustomMetric[] supportedCustomMetrics() {
      return scan.supportedCustomMetrics();
    }

    @Override
    public CustomTaskMetric[] reportDriverMetrics() {
      return scan.reportDriverMetrics();
    }
  }
}
