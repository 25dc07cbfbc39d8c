package io.sluice.connectors.operator;

import io.sluice.api.Sensor;
import io.sluice.api.Task;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.connectors.hook.KafkaHook;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code type: kafka_await_message}, a sensor like Airflow's AwaitMessageSensor: succeeds when a
 * committed message whose value matches {@code match} (a regular expression, rendered) arrives on
 * {@code topic}. Offsets are committed in the sensor's consumer group as it reads, so a rescheduled
 * poke continues where the last one stopped. The matching value is pushed as the XCom {@code
 * message}.
 *
 * <p>Options: {@code topic}, {@code match} (default: any message), {@code group_id}, {@code mode}
 * ({@code poke} or {@code reschedule}), {@code poke_interval} (PT5S), {@code timeout} (PT1H),
 * {@code soft_fail}, {@code conn_id}.
 */
public final class KafkaAwaitMessageTaskType implements TaskType {
  @Override
  public String name() {
    return "kafka_await_message";
  }

  @Override
  public Task create(TaskOptions options) {
    String topic = options.required("topic");
    String match = options.string("match").orElse(".*");
    Pattern.compile(match);
    String connId = options.string("conn_id").orElse(DefaultConnections.KAFKA);
    var group = options.string("group_id");
    Sensor.Mode mode =
        Options.oneOf(options, "mode", "poke", "poke", "reschedule").equals("poke")
            ? Sensor.Mode.POKE
            : Sensor.Mode.RESCHEDULE;
    Duration interval = Options.duration(options, "poke_interval", Duration.ofSeconds(5));
    Duration timeout = Options.duration(options, "timeout", Duration.ofHours(1));
    boolean softFail = options.string("soft_fail").map(Boolean::parseBoolean).orElse(false);
    return new Sensor(mode, interval, timeout, softFail) {
      @Override
      protected boolean poke(TaskContext ctx) {
        Pattern pattern = Pattern.compile(ctx.render("match", match), Pattern.DOTALL);
        String groupId =
            group
                .map(g -> ctx.render("group_id", g))
                .orElse("sluice-" + ctx.dagId() + "-" + ctx.taskId() + "-" + ctx.runId());
        try (var consumer = KafkaHook.of(Options.connection(ctx, connId)).consumer(groupId)) {
          consumer.subscribe(java.util.List.of(ctx.render("topic", topic)));
          var records = consumer.poll(Duration.ofMillis(Math.min(interval.toMillis(), 2000)));
          var seen = new HashMap<TopicPartition, OffsetAndMetadata>();
          try {
            for (var r : records) {
              seen.put(
                  new TopicPartition(r.topic(), r.partition()),
                  new OffsetAndMetadata(r.offset() + 1));
              String value = r.value() == null ? "" : new String(r.value(), StandardCharsets.UTF_8);
              if (pattern.matcher(value).matches()) {
                ctx.xcomPush("message", value);
                return true;
              }
            }
            return false;
          } finally {
            if (!seen.isEmpty()) consumer.commitSync(seen);
          }
        }
      }
    };
  }
}
