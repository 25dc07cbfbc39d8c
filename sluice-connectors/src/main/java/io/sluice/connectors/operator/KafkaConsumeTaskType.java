package io.sluice.connectors.operator;

import io.sluice.api.Task;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.connectors.hook.KafkaHook;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code type: kafka_consume}, like Airflow's ConsumeFromTopicOperator: reads committed messages
 * from topics in a consumer group until {@code max_messages} are read or a poll waits {@code
 * poll_timeout} for nothing, committing offsets at the chosen cadence.
 *
 * <p>Options: {@code topics} (one or a list), {@code group_id} (default {@code
 * sluice-<dag>-<task>}), {@code max_messages} (1000), {@code max_batch_size} (500), {@code
 * poll_timeout} (PT5S), {@code commit_cadence}: {@code end_of_operator} (default), {@code
 * end_of_batch} or {@code never}; {@code conn_id} (kafka_default). The XCom is {@code {consumed,
 * messages}} with up to {@code return_messages} (default 100) values.
 */
public final class KafkaConsumeTaskType implements TaskType {
  @Override
  public String name() {
    return "kafka_consume";
  }

  @Override
  public Task create(TaskOptions options) {
    List<String> topics = Options.stringOrList(options, "topics");
    if (topics.isEmpty()) topics = Options.stringOrList(options, "topic");
    if (topics.isEmpty())
      throw new IllegalArgumentException("task '" + options.taskId() + "' needs option 'topics'");
    List<String> topicList = topics;
    String connId = options.string("conn_id").orElse(DefaultConnections.KAFKA);
    int maxMessages = Options.positiveInt(options, "max_messages", 1000);
    int maxBatch = Options.positiveInt(options, "max_batch_size", 500);
    int keep = options.string("return_messages").map(Integer::parseInt).orElse(100);
    Duration pollTimeout = Options.duration(options, "poll_timeout", Duration.ofSeconds(5));
    String cadence =
        Options.oneOf(
            options,
            "commit_cadence",
            "end_of_operator",
            "end_of_operator",
            "end_of_batch",
            "never");
    var groupOption = options.string("group_id");
    return ctx -> {
      String group =
          groupOption
              .map(g -> ctx.render("group_id", g))
              .orElse("sluice-" + ctx.dagId() + "-" + ctx.taskId());
      var hook = KafkaHook.of(Options.connection(ctx, connId));
      int consumed = 0;
      List<String> kept = new ArrayList<>();
      var pending = new HashMap<TopicPartition, OffsetAndMetadata>();
      try (var consumer = hook.consumer(group)) {
        consumer.subscribe(rendered(ctx, topicList));
        while (consumed < maxMessages) {
          if (Thread.currentThread().isInterrupted()) throw new InterruptedException();
          var records = consumer.poll(pollTimeout);
          if (records.isEmpty()) break;
          int inBatch = 0;
          for (var r : records) {
            if (consumed >= maxMessages || inBatch >= maxBatch) break;
            String value = r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8);
            if (kept.size() < keep) kept.add(value);
            consumed++;
            inBatch++;
            if (!cadence.equals("never"))
              pending.put(
                  new TopicPartition(r.topic(), r.partition()),
                  new OffsetAndMetadata(r.offset() + 1));
          }
          if (cadence.equals("end_of_batch") && !pending.isEmpty()) {
            consumer.commitSync(pending);
            pending.clear();
          }
          if (inBatch < records.count()) break;
        }
        if (cadence.equals("end_of_operator") && !pending.isEmpty()) consumer.commitSync(pending);
      }
      ctx.log().info("consumed {} message(s) from {} as group {}", consumed, topicList, group);
      var result = new LinkedHashMap<String, Object>();
      result.put("consumed", consumed);
      result.put("messages", kept);
      return result;
    };
  }

  private static List<String> rendered(TaskContext ctx, List<String> topics) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < topics.size(); i++)
      out.add(ctx.render(Options.field("topics", i, topics), topics.get(i)));
    return out;
  }
}
