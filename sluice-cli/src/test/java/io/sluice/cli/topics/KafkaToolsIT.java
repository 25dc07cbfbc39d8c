package io.sluice.cli.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.cli.InProcessSluice;
import io.sluice.cli.SluiceProcess.Result;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka's console tools as a seed's reader types them, run in this JVM against one broker and the
 * schema registry: produce and consume with keys, headers and offsets, in JSON and in Avro through
 * the registry; consumer groups and their offset resets; topics that a typo never creates.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.SCHEMA_REGISTRY})
class KafkaToolsIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SCHEMA =
      """
      {"type": "record", "name": "Reading", "namespace": "it",
       "fields": [{"name": "sensor", "type": "string"}, {"name": "celsius", "type": "double"}]}
      """;
  private final LocalStack stack;
  @TempDir Path dir;

  KafkaToolsIT(LocalStack stack) {
    this.stack = stack;
  }

  @BeforeAll
  static void publishTheStack(LocalStack stack) {
    // why: the commands load their configuration as a user's would; here it is the test stack's
    SluiceConfig.publish(stack.config());
  }

  private static Result sluice(String... args) {
    return InProcessSluice.run(null, args);
  }

  private static Result sluiceWithInput(String stdin, String... args) {
    return InProcessSluice.run(stdin, args);
  }

  private static String newTopic(String prefix) {
    String topic = prefix + "-" + UUID.randomUUID();
    Result created = sluice("topics", "create", topic, "--partitions", "1");
    assertThat(created.exit()).as(created.err()).isZero();
    return topic;
  }

  @Test
  void producedRecordsAreConsumedWithKeyPartitionOffsetAndTimestamp() {
    String topic = newTopic("tools");
    Result produce =
        sluiceWithInput(
            "u1|{\"n\":1}\nu2|{\"n\":2}\n", "topics", "produce", topic, "--key-separator", "|");
    assertThat(produce.exit()).as(produce.err()).isZero();
    assertThat(produce.err()).contains("Produced 2 records to " + topic + " as JSON");

    Result consume =
        sluice(
            "topics",
            "consume",
            topic,
            "--from-beginning",
            "--print-key",
            "--print-headers",
            "--format",
            "timestamp,partition,offset",
            "--max",
            "2");
    assertThat(consume.exit()).as(consume.err()).isZero();
    assertThat(consume.lines())
        .hasSize(2)
        .satisfies(
            lines ->
                assertThat(lines.get(0))
                    .matches("CreateTime:\\d+\tPartition:0\tOffset:0\tNO_HEADERS\tu1\t\\{\"n\":1}"))
        .satisfies(
            lines -> assertThat(lines.get(1)).endsWith("Offset:1\tNO_HEADERS\tu2\t{\"n\":2}"));

    Result notJson =
        sluiceWithInput("u3|oops\n", "topics", "produce", topic, "--key-separator", "|");
    assertThat(notJson.exit()).isNotZero();
    assertThat(notJson.err()).contains("line 1: not JSON");

    assertThat(sluice("topics", "delete", topic).out()).contains("deleted  " + topic);
    assertThat(sluice("topics", "list").out()).doesNotContain(topic);
  }

  @Test
  void avroValuesAreWrittenAndReadThroughTheSchemaRegistry() throws Exception {
    String topic = newTopic("avro");
    Path schema = Files.writeString(dir.resolve("reading.avsc"), SCHEMA);
    Result first =
        sluiceWithInput(
            "s1|{\"sensor\":\"s1\",\"celsius\":21.5}\n",
            "topics",
            "produce",
            topic,
            "--key-separator",
            "|",
            "--value-schema",
            schema.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.err()).contains("as Avro (schema id ").contains(topic + "-value");

    // the subject now has a schema, so a plain produce writes Avro with it
    Result second =
        sluiceWithInput("{\"sensor\":\"s2\",\"celsius\":-3.0}\n", "topics", "produce", topic);
    assertThat(second.err()).as(second.err()).contains("as Avro (schema id ");
    Result bad = sluiceWithInput("{\"sensor\":\"s3\"}\n", "topics", "produce", topic);
    assertThat(bad.exit()).isNotZero();
    assertThat(bad.err()).contains("line 1: does not match Avro").contains("celsius is missing");

    Result raw = sluice("topics", "consume", topic, "--from-beginning", "--raw", "--max", "1");
    assertThat(raw.out().charAt(0)).as("Confluent's magic byte").isEqualTo('\0');

    Result consume =
        sluice("topics", "consume", topic, "--from-beginning", "--print-key", "--max", "2");
    assertThat(consume.exit()).as(consume.err()).isZero();
    assertThat(consume.lines())
        .containsExactly(
            "s1\t{\"sensor\":\"s1\",\"celsius\":21.5}",
            "null\t{\"sensor\":\"s2\",\"celsius\":-3.0}");
  }

  @Test
  void aMissingTopicIsAnErrorThatNamesItAndNothingIsCreated() {
    Result consume = sluice("topics", "consume", "nc_typo", "--timeout", "1");
    assertThat(consume.exit()).isNotZero();
    assertThat(consume.err()).contains("no topic nc_typo");
    Result produce = sluiceWithInput("{}\n", "topics", "produce", "nc_typo");
    assertThat(produce.err()).contains("no topic nc_typo");
    assertThat(sluice("topics", "delete", "nc_typo").err()).contains("no topic nc_typo");
    assertThat(sluice("topics", "list").out()).doesNotContain("nc_typo");
  }

  @Test
  void resetOffsetsIsRefusedForAnActiveGroupAndMovesAnInactiveOnesOffsets() {
    String topic = newTopic("groups");
    String group = "g-" + UUID.randomUUID();
    sluiceWithInput("{\"n\":1}\n{\"n\":2}\n{\"n\":3}\n{\"n\":4}\n", "topics", "produce", topic);
    Result read =
        sluice("topics", "consume", topic, "--from-beginning", "--group", group, "--max", "4");
    assertThat(read.lines()).hasSize(4);
    assertThat(offsets(group)).containsExactly(4L);
    assertThat(sluice("groups", "list").out()).contains(group);

    try (KafkaConsumer<String, String> active = member(group, topic)) {
      Result refused = sluice("groups", "reset-offsets", group, "--to-earliest", "--execute");
      assertThat(refused.exit()).isNotZero();
      assertThat(refused.err()).contains("consumer group '" + group + "' is active");
    }
    assertThat(offsets(group)).containsExactly(4L);

    Result dryRun = sluice("groups", "reset-offsets", group, "--to-earliest");
    assertThat(dryRun.out()).contains("dry run");
    assertThat(offsets(group)).containsExactly(4L);

    Result reset = sluice("groups", "reset-offsets", group, "--to-earliest", "--execute");
    assertThat(reset.exit()).as(reset.err()).isZero();
    assertThat(offsets(group)).containsExactly(0L);

    sluice("groups", "reset-offsets", group, "--shift-by", "3", "--execute");
    assertThat(offsets(group)).containsExactly(3L);
    sluice("groups", "reset-offsets", group, "--to-datetime", "2000-01-01T00:00:00Z", "--execute");
    assertThat(offsets(group)).containsExactly(0L);
    sluice("groups", "reset-offsets", group, "--to-latest", "--execute");
    assertThat(offsets(group)).containsExactly(4L);
  }

  /** The committed offsets a following {@code groups describe} shows. */
  private static List<Long> offsets(String group) {
    Result describe = sluice("groups", "describe", group, "--output", "json");
    assertThat(describe.exit()).as(describe.err()).isZero();
    try {
      return JSON.readTree(describe.out()).findValues("current_offset").stream()
          .map(JsonNode::asLong)
          .toList();
    } catch (java.io.IOException e) {
      throw new AssertionError(describe.out(), e);
    }
  }

  /** A consumer that has joined {@code group} and holds its partitions until closed. */
  private KafkaConsumer<String, String> member(String group, String topic) {
    var consumer =
        new KafkaConsumer<String, String>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                stack.kafkaBootstrap(),
                ConsumerConfig.GROUP_ID_CONFIG,
                group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                StringDeserializer.class));
    consumer.subscribe(List.of(topic));
    while (consumer.assignment().isEmpty()) consumer.poll(Duration.ofMillis(200));
    return consumer;
  }
}
