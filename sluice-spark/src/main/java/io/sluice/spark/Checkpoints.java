package io.sluice.spark;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;

/**
 * Where each query keeps its Kafka offsets and commit log: {@code <root>/<job>/<query>}, the root
 * being {@code spark.checkpoint-dir} (a path or an {@code s3a://} URI) or {@code
 * <data.dir>/checkpoints}. A bounded run and the continuous job share them.
 */
public record Checkpoints(String root) {
  public static Checkpoints of(SluiceConfig config) {
    return new Checkpoints(
        config
            .find(Settings.SPARK_CHECKPOINT_DIR)
            .orElse(config.dataDir().resolve("checkpoints").toString()));
  }

  public String of(String job, String query) {
    String base = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    return base + "/" + job + "/" + query;
  }
}
