package io.sluice.cli.topics;

import io.sluice.cli.CliException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.KafkaSettings;
import io.sluice.ingest.kafka.RecordProducer;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.ingest.kafka.ValueEncoder;
import io.sluice.records.registry.SchemaRegistry;
import io.sluice.records.registry.SchemaRegistryException;
import io.sluice.schemaregistry.SchemaRegistrySettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sluice topics produce TOPIC}: one record per line of stdin, as Kafka's tool does. */
@Command(
    name = "produce",
    mixinStandardHelpOptions = true,
    description = {
      "Write one record per line of stdin to TOPIC, as Kafka's console producer does. Each value"
          + " is a JSON object; with --key-separator, the text before the first separator is the"
          + " key.",
      "Values are written as Avro in Confluent's wire format when the topic's subject"
          + " (TOPIC-value) has a schema in the schema registry, else as JSON; --value-format and"
          + " --value-schema choose.",
      "Example: printf 'u1|{\"id\":\"u1\"}\\n' | sluice topics produce users_created"
          + " --key-separator '|'",
      "Writes with acks=all and idempotence, as the web UI's Produce record dialog does. A"
          + " missing topic is an error; it is not created."
    })
public final class TopicsProduceCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "TOPIC")
  String topic;

  @Option(
      names = "--key-separator",
      paramLabel = "SEP",
      description = "Split each line at the first SEP into key and value (Kafka's parse.key).")
  String keySeparator;

  @Option(
      names = "--value-format",
      defaultValue = "auto",
      paramLabel = "FORMAT",
      description =
          "auto (Avro when TOPIC-value has a schema in the registry, else JSON), json, text"
              + " (any UTF-8 line) or avro (TOPIC-value's latest schema); default:"
              + " ${DEFAULT-VALUE}.")
  String valueFormat;

  @Option(
      names = "--value-schema",
      paramLabel = "FILE",
      description =
          "An Avro schema (.avsc) to write the values with; registered under TOPIC-value first.")
  Path valueSchema;

  private ValueEncoder values;

  @Override
  public Integer call() throws IOException {
    SluiceConfig config = SluiceConfig.load();
    try (Admin admin = TopicProvisioner.admin(config)) {
      Kafka.requireTopics(config, admin, List.of(topic));
    }
    values = encoder(config);
    long sent = 0;
    AtomicReference<Exception> failure = new AtomicReference<>();
    var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (var producer =
        new RecordProducer(KafkaSettings.bootstrap(config), Duration.ofSeconds(30))) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) continue;
        send(producer, line, lineNo, failure);
        sent++;
      }
      producer.flush();
    }
    // why: flush() does not throw a failed send; the callbacks keep the first failure
    if (failure.get() != null)
      throw new CliException("Kafka refused a record: " + failure.get().getMessage());
    System.err.println(
        "Produced "
            + sent
            + " record"
            + (sent == 1 ? "" : "s")
            + " to "
            + topic
            + " as "
            + values.description());
    return 0;
  }

  private void send(
      RecordProducer producer, String line, int lineNo, AtomicReference<Exception> failure) {
    String key = null;
    String value = line;
    if (keySeparator != null) {
      int at = line.indexOf(keySeparator);
      if (at < 0)
        throw new CliException(
            "line " + lineNo + " has no key separator '" + keySeparator + "': " + line);
      key = line.substring(0, at);
      value = line.substring(at + keySeparator.length());
    }
    byte[] bytes;
    try {
      bytes = values.encode(value);
    } catch (IllegalArgumentException e) {
      throw new CliException("line " + lineNo + ": " + e.getMessage());
    }
    producer.send(
        topic,
        key,
        Map.of(),
        bytes,
        (meta, e) -> {
          if (e != null) failure.compareAndSet(null, e);
        });
  }

  private ValueEncoder encoder(SluiceConfig config) {
    SchemaRegistry registry = Kafka.registry(config);
    try {
      return ValueEncoder.of(registry, topic, format(), schemaText());
    } catch (IllegalArgumentException e) {
      String hint =
          e.getMessage().startsWith("no schema under") ? "; give one with --value-schema FILE" : "";
      throw new CliException(e.getMessage() + hint);
    } catch (SchemaRegistryException e) {
      throw new CliException(
          "schema registry " + SchemaRegistrySettings.url(config) + ": " + e.getMessage());
    }
  }

  private String schemaText() {
    if (valueSchema == null) return null;
    if (format() == ValueEncoder.Format.JSON || format() == ValueEncoder.Format.TEXT)
      throw new CliException(
          "--value-schema writes Avro; it cannot go with --value-format " + valueFormat, 2);
    try {
      return Files.readString(valueSchema);
    } catch (IOException e) {
      throw new CliException("cannot read " + valueSchema + ": " + e.getMessage());
    }
  }

  private ValueEncoder.Format format() {
    return switch (valueFormat.trim().toLowerCase(Locale.ROOT)) {
      case "auto" -> ValueEncoder.Format.AVRO_OR_JSON;
      case "json" -> ValueEncoder.Format.JSON;
      case "text" -> ValueEncoder.Format.TEXT;
      case "avro" -> ValueEncoder.Format.AVRO;
      default ->
          throw new CliException(
              "--value-format must be auto, json, text or avro, not '" + valueFormat + "'", 2);
    };
  }
}
