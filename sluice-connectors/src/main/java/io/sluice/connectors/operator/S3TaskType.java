package io.sluice.connectors.operator;

import io.sluice.api.Connection;
import io.sluice.api.Sensor;
import io.sluice.api.Task;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import io.sluice.connectors.hook.DefaultConnections;
import io.sluice.connectors.hook.S3Hook;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code type: s3}: one object-store action on an S3 connection.
 *
 * <ul>
 *   <li>{@code action: put}: {@code key} and either {@code content} (rendered) or {@code file}.
 *   <li>{@code action: get}: {@code key}; the XCom is the content as text, or it is written to
 *       {@code file} when given.
 *   <li>{@code action: list}: {@code prefix}; the XCom is the list of keys.
 *   <li>{@code action: wait_for_key}: a sensor that succeeds when {@code key} exists ({@code mode},
 *       {@code poke_interval}, {@code timeout}, {@code soft_fail} as for every sensor).
 * </ul>
 *
 * <p>{@code bucket} defaults to the connection's; {@code conn_id} to {@code s3_default}.
 */
public final class S3TaskType implements TaskType {
  @Override
  public String name() {
    return "s3";
  }

  @Override
  public Task create(TaskOptions options) {
    String action = Options.oneOf(options, "action", null, "put", "get", "list", "wait_for_key");
    String connId = options.string("conn_id").orElse(DefaultConnections.S3);
    String bucketOption = options.string("bucket").orElse(null);
    return switch (action) {
      case "put" -> put(options, connId, bucketOption);
      case "get" -> get(options, connId, bucketOption);
      case "list" -> list(options, connId, bucketOption);
      default -> waitForKey(options, connId, bucketOption);
    };
  }

  private static Task put(TaskOptions options, String connId, String bucketOption) {
    String key = options.required("key");
    var content = options.string("content");
    var file = options.string("file");
    if (content.isEmpty() == file.isEmpty())
      throw new IllegalArgumentException(
          "task '" + options.taskId() + "' (s3 put) needs exactly one of 'content' and 'file'");
    return ctx -> {
      Connection conn = Options.connection(ctx, connId);
      String bucket = ctx.render("bucket", S3Hook.bucket(conn, bucketOption));
      String k = ctx.render("key", key);
      try (var s3 = S3Hook.client(conn)) {
        RequestBody body =
            content.isPresent()
                ? RequestBody.fromString(
                    ctx.render("content", content.get()), StandardCharsets.UTF_8)
                : RequestBody.fromFile(Path.of(ctx.render("file", file.get())));
        s3.putObject(b -> b.bucket(bucket).key(k), body);
      }
      ctx.log().info("put s3://{}/{}", bucket, k);
      return "s3://" + bucket + "/" + k;
    };
  }

  private static Task get(TaskOptions options, String connId, String bucketOption) {
    String key = options.required("key");
    var file = options.string("file");
    return ctx -> {
      Connection conn = Options.connection(ctx, connId);
      String bucket = ctx.render("bucket", S3Hook.bucket(conn, bucketOption));
      String k = ctx.render("key", key);
      try (var s3 = S3Hook.client(conn)) {
        if (file.isPresent()) {
          Path target = Path.of(ctx.render("file", file.get()));
          java.nio.file.Files.deleteIfExists(target);
          s3.getObject(b -> b.bucket(bucket).key(k), target);
          ctx.log().info("got s3://{}/{} into {}", bucket, k, target);
          return target.toString();
        }
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(k)).asUtf8String();
      }
    };
  }

  private static Task list(TaskOptions options, String connId, String bucketOption) {
    String prefix = options.string("prefix").orElse("");
    return ctx -> {
      Connection conn = Options.connection(ctx, connId);
      String bucket = ctx.render("bucket", S3Hook.bucket(conn, bucketOption));
      try (var s3 = S3Hook.client(conn)) {
        List<String> keys =
            s3
                .listObjectsV2Paginator(b -> b.bucket(bucket).prefix(ctx.render("prefix", prefix)))
                .contents()
                .stream()
                .map(S3Object::key)
                .toList();
        ctx.log().info("{} key(s) under s3://{}/{}", keys.size(), bucket, prefix);
        return keys;
      }
    };
  }

  private static Task waitForKey(TaskOptions options, String connId, String bucketOption) {
    String key = options.required("key");
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
        Connection conn = Options.connection(ctx, connId);
        String bucket = ctx.render("bucket", S3Hook.bucket(conn, bucketOption));
        try (var s3 = S3Hook.client(conn)) {
          s3.headObject(
              HeadObjectRequest.builder().bucket(bucket).key(ctx.render("key", key)).build());
          return true;
        } catch (NoSuchKeyException e) {
          return false;
        } catch (S3Exception e) {
          if (e.statusCode() == 404) return false;
          throw e;
        }
      }
    };
  }
}
