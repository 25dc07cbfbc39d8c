package io.sluice.spark.operator;

import io.sluice.api.Task;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.connectors.operator.Options;
import java.time.Duration;
import java.util.List;

/**
 * {@code type: stream}: a service task that keeps a Spark Structured Streaming job running.
 *
 * <pre>{@code
 * - id: users_stream
 *   type: stream
 *   job: users
 * }</pre>
 *
 * <p>Options: {@code job} ({@code users} or {@code weather}), {@code args} (extra job arguments),
 * {@code restart_initial_delay} (PT1S), {@code restart_max_delay} (PT1M), {@code max_restarts}
 * (unbounded by default), {@code stop_grace} (PT30S), {@code start_after} (another job, users or
 * weather: start once it has run its first micro-batch, or after two minutes), {@code
 * kafka_conn_id}, {@code cassandra_conn_id}, {@code s3_conn_id}, {@code lease_ttl} (PT30S: how long
 * the job's lease in the metadata database lasts unless renewed, so how soon another scheduler
 * takes over the job of one that died). See {@link StreamSupervisor} for the behaviour.
 */
public final class StreamTaskType implements TaskType {
  @Override
  public String name() {
    return "stream";
  }

  @Override
  public boolean creates(Task task) {
    return task instanceof StreamSupervisor;
  }

  @Override
  public Task create(TaskOptions options) {
    String job = options.required("job");
    if (!List.of("users", "weather").contains(job))
      throw new IllegalArgumentException(
          "option 'job' of task '"
              + options.taskId()
              + "' must be users or weather, not '"
              + job
              + "'");
    List<String> args = options.stringList("args");
    Duration initial = Options.duration(options, "restart_initial_delay", Duration.ofSeconds(1));
    Duration max = Options.duration(options, "restart_max_delay", Duration.ofMinutes(1));
    int maxRestarts =
        options.string("max_restarts").map(Integer::parseInt).orElse(Integer.MAX_VALUE);
    Duration grace = Options.duration(options, "stop_grace", Duration.ofSeconds(30));
    String kafka = options.string("kafka_conn_id").orElse(DefaultConnections.KAFKA);
    String cassandra = options.string("cassandra_conn_id").orElse(DefaultConnections.CASSANDRA);
    String s3 = options.string("s3_conn_id").orElse(DefaultConnections.S3);
    return new StreamSupervisor(
        job,
        args,
        initial,
        max,
        maxRestarts,
        grace,
        ctx -> JobConfig.of(ctx, kafka, cassandra, s3),
        options.string("start_after").orElse(null),
        Options.duration(options, "lease_ttl", Duration.ofSeconds(30)));
  }
}
