package io.sluice.cli.topics;

import io.sluice.cli.CliException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.KafkaSettings;
import io.sluice.ingest.kafka.TopicProvisioner;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
      "Writes with acks=all and idempotence. A missing topic is an error; it is not created."
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
          "auto (Avro when TOPIC-value has a schema in the registry, else JSON), json or avro"
              + " (TOPIC-value's latest schema); default: ${DEFAULT-VALUE}.")
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
    values = ValueEncoder.of(config, topic, format(), valueSchema);
    long sent = 0;
    AtomicReference<Exception> failure = new AtomicReference<>();
    var in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (var producer = new KafkaProducer<byte[], byte[]>(producerConfig(config))) {
      String line;
      int lineNo = 0;
      while ((line = in.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) continue;
        producer.send(
            record(line, lineNo),
            (meta, e) -> {
              if (e != null) failure.compareAndSet(null, e);
            });
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

  private ProducerRecord<byte[], byte[]> record(String line, int lineNo) {
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
    return new ProducerRecord<>(
        topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8), bytes);
  }

  private ValueEncoder.Format format() {
    try {
      return ValueEncoder.Format.valueOf(valueFormat.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new CliException(
          "--value-format must be auto, json or avro, not '" + valueFormat + "'", 2);
    }
  }

  private static Map<String, Object> producerConfig(SluiceConfig config) {
    Map<String, Object> p = new HashMap<>();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KafkaSettings.bootstrap(config));
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    return p;
  }
}
