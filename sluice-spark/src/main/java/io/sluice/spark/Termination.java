package io.sluice.spark;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryListener;

/**
 * Completes when the first query of a session terminates, stopped or failed. Waiting on it sleeps
 * until then (with a look at the queries once a minute), where {@code
 * StreamingQueryManager.awaitAnyTermination()} wakes every 10 ms (it waits on a lock in a loop of
 * {@code wait(10)}) for as long as the job runs.
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

  /** Waits until a query of the session has terminated, or one of {@code queries} is not active. */
  void await(List<StreamingQuery> queries) throws InterruptedException {
    while (true) {
      try {
        first.get(1, TimeUnit.MINUTES);
        return;
      } catch (TimeoutException e) {
        // why: listener events are delivered through a bounded queue; should the termination's
        // be dropped, a look once a minute still ends the wait
        if (queries.stream().anyMatch(q -> !q.isActive())) return;
      } catch (ExecutionException e) {
        throw new IllegalStateException(e.getCause());
      }
    }
  }
}
