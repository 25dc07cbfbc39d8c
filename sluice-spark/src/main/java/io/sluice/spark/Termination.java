package io.sluice.spark;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * Completes when the first query of a session terminates, stopped or failed. Waiting on it sleeps
 * until then, where {@code StreamingQueryManager.awaitAnyTermination()} wakes every 10 ms (it waits
 * on a lock in a loop of {@code wait(10)}) for as long as the job runs.
 */
final class Termination extends StreamingQueryListener {
  private final CompletableFuture<Void> first = new CompletableFuture<>();

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public void onQueryProgress(QueryProgressEvent event) {}

  @Override
  public void onQueryIdle(QueryIdleEvent event) {}

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {
    first.complete(null);
  }

  /** Waits until a query of the session has terminated. */
  void await() throws InterruptedException {
    try {
      first.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
  }
}
