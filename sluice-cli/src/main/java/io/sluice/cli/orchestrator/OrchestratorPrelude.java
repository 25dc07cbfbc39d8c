package io.sluice.cli.orchestrator;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.StackListener;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Readies the orchestrator of {@code sluice up} while the local stack starts: once the metadata
 * database answers, a thread of its own migrates it and parses the DAGs ({@link
 * Orchestrator#prepare}), which takes a second or more of CPU, so that the scheduler is composed
 * the moment Kafka and the schema registry are ready, instead of starting that work only then.
 * Hears the stack's start as a {@link StackListener} and passes every event on to {@code next}.
 */
final class OrchestratorPrelude implements StackListener {
  private final SluiceConfig config;
  private final StackListener next;
  private final CompletableFuture<Orchestrator.Prepared> prepared = new CompletableFuture<>();
  private volatile boolean preparing;

  /**
   * @param config the configuration {@code sluice up} starts the stack with
   */
  OrchestratorPrelude(SluiceConfig config, StackListener next) {
    this.config = config;
    this.next = next;
  }

  @Override
  public void progress(Service service, String message) {
    next.progress(service, message);
  }

  @Override
  public void ready(Service service, String address, Duration took) {
    next.ready(service, address, took);
    if (service != Service.METADATA_DB || preparing) return;
    preparing = true;
    SluiceConfig db =
        config.with(
            Settings.DB_URL,
            LocalStack.jdbcUrlForThisProcess(config, address),
            "local stack, in this process");
    // why: the listener is called from the stack's starting threads, which must not wait for it
    Thread t =
        new Thread(
            () -> {
              try {
                prepared.complete(Orchestrator.prepare(db));
              } catch (Throwable e) {
                prepared.completeExceptionally(e);
              }
            },
            "sluice-orchestrator-prepare");
    t.setDaemon(true);
    t.start();
  }

  /**
   * The scheduling orchestrator of {@code config}, the stack's effective configuration with the
   * database URL of this process, on what was prepared meanwhile; prepared now when the database
   * was not reported ready, or was prepared under another URL.
   */
  Orchestrator scheduling(SluiceConfig config) {
    if (!preparing) return Orchestrator.scheduling(config);
    Orchestrator.Prepared p;
    try {
      p = prepared.join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
    if (!p.config().get(Settings.DB_URL).equals(config.get(Settings.DB_URL))) {
      p.store().close();
      return Orchestrator.scheduling(config);
    }
    return Orchestrator.scheduling(config, p);
  }

  /** Closes what was prepared, once it is: the stack failed to start, so no scheduler runs. */
  void abandon() {
    if (preparing) prepared.thenAccept(p -> p.store().close());
  }
}
