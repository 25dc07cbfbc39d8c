package io.sluice.core.engine;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.time.Duration;

/**
 * Tunables of an {@link EngineLoop}; {@link #from(SluiceConfig)} reads them from the configuration.
 * Which parts a process runs is not an option: {@link Engines} composes them.
 */
public record EngineOptions(
    int executorThreads,
    Duration tick,
    Duration heartbeat,
    Duration zombieThreshold,
    Duration shutdownGrace,
    Duration historyRetention) {
  public EngineOptions(
      int executorThreads,
      Duration tick,
      Duration heartbeat,
      Duration zombieThreshold,
      Duration shutdownGrace) {
    this(executorThreads, tick, heartbeat, zombieThreshold, shutdownGrace, Duration.ZERO);
  }

  /** A scheduler's options. */
  public static EngineOptions from(SluiceConfig config) {
    return new EngineOptions(
        config.get(Settings.EXECUTOR_THREADS),
        config.get(Settings.SCHEDULER_TICK),
        config.get(Settings.SCHEDULER_HEARTBEAT),
        config.get(Settings.SCHEDULER_ZOMBIE_THRESHOLD),
        config.get(Settings.SCHEDULER_SHUTDOWN_GRACE),
        config.get(Settings.HISTORY_RETENTION));
  }

  /** A worker's options: polls every {@code worker.poll}. */
  public static EngineOptions worker(SluiceConfig config) {
    return from(config).withTick(config.get(Settings.WORKER_POLL));
  }

  public static EngineOptions defaults() {
    return from(SluiceConfig.defaults());
  }

  public EngineOptions withExecutorThreads(int n) {
    return new EngineOptions(n, tick, heartbeat, zombieThreshold, shutdownGrace, historyRetention);
  }

  public EngineOptions withShutdownGrace(Duration grace) {
    return new EngineOptions(
        executorThreads, tick, heartbeat, zombieThreshold, grace, historyRetention);
  }

  public EngineOptions withZombieThreshold(Duration threshold) {
    return new EngineOptions(
        executorThreads, tick, heartbeat, threshold, shutdownGrace, historyRetention);
  }

  public EngineOptions withTick(Duration t) {
    return new EngineOptions(
        executorThreads, t, heartbeat, zombieThreshold, shutdownGrace, historyRetention);
  }

  public EngineOptions withHeartbeat(Duration h) {
    return new EngineOptions(
        executorThreads, tick, h, zombieThreshold, shutdownGrace, historyRetention);
  }

  /** Finished runs older than {@code retention} are pruned; zero keeps them. */
  public EngineOptions withHistoryRetention(Duration retention) {
    return new EngineOptions(
        executorThreads, tick, heartbeat, zombieThreshold, shutdownGrace, retention);
  }
}
