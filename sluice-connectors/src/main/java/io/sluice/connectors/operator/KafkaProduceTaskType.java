package io.sluice.connectors.operator;

import io.sluice.api.Task;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.connectors.hook.KafkaHook;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * {@code type: kafka_produce}, like Airflow's ProduceToTopicOperator: sends rendered messages to a
 * topic and succeeds only when every one is acknowledged.
 *
 * <pre>{@code
 * - id: announce
 *   type: kafka_produce
 *   topic: events
 *   messages:
 *     - {key: "{{ ds }}", value: '{"run": "{{ run_id }}"}'}
 * }</pre>
 *
 * <p>Options: {@code topic}, {@code messages} (a list of strings or of {@code {key, value,
 * headers}}), {@code conn_id} (default {@code kafka_default}). The XCom is the number of messages
 * sent. A missing topic fails the task with an error that names it; none is created.
 */
public final class KafkaProduceTaskType implements TaskType {
  @Override
  public String name() {
    return "kafka_produce";
  }

  @Override
  public Task create(TaskOptions options) {
    String topic = options.required("topic");
    String connId = options.string("conn_id").orElse(DefaultConnections.KAFKA);
    Object raw = options.all().get("messages");
    if (!(raw instanceof List<?> list) || list.isEmpty())
      throw new IllegalArgumentException(
          "task '" + options.taskId() + "' needs option 'messages': a non-empty list");
    List<Map<String, Object>> messages = new ArrayList<>();
    for (Object m : list) {
      messages.add(m instanceof Map<?, ?> ? Options.map(m, "a message") : Map.of("value", m));
    }
    return ctx -> {
      String renderedTopic = ctx.render("topic", topic);
      KafkaHook hook = KafkaHook.of(Options.connection(ctx, connId));
      requireTopic(hook, renderedTopic);
      try (var producer = hook.producer()) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int i = 0; i < messages.size(); i++) {
          var m = messages.get(i);
          String field = "messages[" + i + "].";
          Object key = m.get("key");
          Object value = m.get("value");
          var record =
              new ProducerRecord<>(
                  renderedTopic,
                  key == null ? null : bytes(ctx.render(field + "key", String.valueOf(key))),
                  value == null ? null : bytes(ctx.render(field + "value", String.valueOf(value))));
          if (m.get("headers") instanceof Map<?, ?> headers)
            headers.forEach(
                (k, v) ->
                    record
                        .headers()
                        .add(
                            String.valueOf(k),
                            bytes(ctx.render(field + "headers." + k, String.valueOf(v)))));
          acks.add(producer.send(record));
        }
        producer.flush();
        for (var ack : acks) ack.get();
        ctx.log().info("produced {} message(s) to {}", acks.size(), renderedTopic);
        return acks.size();
      }
    };
  }

  // why: without this, a producer waits max.block.ms for a topic the broker will not create
  private static void requireTopic(KafkaHook hook, String topic) throws Exception {
    try (var admin = hook.admin()) {
      if (!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic))
        throw new IllegalStateException(
            "no topic " + topic + " (create it with `sluice topics create " + topic + "`)");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
