package io.sluice.spark.sink;

import com.datastax.oss.driver.api.core.AllNodesFailedException;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.connection.BusyConnectionException;
import com.datastax.oss.driver.api.core.connection.ClosedConnectionException;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.servererrors.OverloadedException;
import com.datastax.oss.driver.api.core.servererrors.QueryConsistencyException;
import com.datastax.oss.driver.api.core.servererrors.ServerError;
import com.datastax.oss.driver.api.core.servererrors.TruncateException;
import com.datastax.oss.driver.api.core.servererrors.UnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes idempotent writes asynchronously with a bound on the writes in flight. {@link #flush}
 * blocks until every write has succeeded: writes that failed because Cassandra was unreachable,
 * overloaded or timed out are retried with backoff for as long as it takes; a write Cassandra
 * refuses for good (an invalid value) goes to {@code rejected} with its error. Used by one thread
 * at a time.
 */
public final class AsyncWriter<T> {
  private static final Logger log = LoggerFactory.getLogger(AsyncWriter.class);

  private record Pending<T>(T source, BoundStatement statement) {}

  private record Failure<T>(Pending<T> write, Throwable error) {}

  private final CqlSession session;
  private final int maxInFlight;
  private final BiConsumer<T, Throwable> rejected;
  private final List<Pending<T>> submitted = new ArrayList<>();
  private final ConcurrentLinkedQueue<Failure<T>> failures = new ConcurrentLinkedQueue<>();
  private long written;

  public AsyncWriter(CqlSession session, int maxInFlight, BiConsumer<T, Throwable> rejected) {
    this.session = session;
    this.maxInFlight = maxInFlight;
    this.rejected = rejected;
  }

  /** Queues one write of {@code source}; it runs at once unless {@code maxInFlight} are running. */
  public void write(T source, BoundStatement statement) {
    submitted.add(new Pending<>(source, statement.setIdempotent(true)));
    if (submitted.size() >= 4 * maxInFlight) flush();
  }

  /** Blocks until every queued write is stored or rejected; returns the rows stored so far. */
  public long flush() {
    List<Pending<T>> round = new ArrayList<>(submitted);
    submitted.clear();
    Backoff backoff = new Backoff();
    while (!round.isEmpty()) {
      runAll(round);
      List<Pending<T>> retry = new ArrayList<>();
      Throwable lastTransient = null;
      Failure<T> f;
      while ((f = failures.poll()) != null) {
        if (isTransient(f.error())) {
          retry.add(f.write());
          lastTransient = f.error();
        } else {
          rejected.accept(f.write().source(), f.error());
        }
      }
      written += round.size() - retry.size();
      if (!retry.isEmpty()) {
        log.warn(
            "{} Cassandra writes failed transiently ({}); retrying",
            retry.size(),
            lastTransient.getMessage());
        backoff.pause();
      }
      round = retry;
    }
    return written;
  }

  private void runAll(List<Pending<T>> writes) {
    Semaphore permits = new Semaphore(maxInFlight);
    for (Pending<T> w : writes) {
      permits.acquireUninterruptibly();
      session
          .executeAsync(w.statement())
          .whenComplete(
              (rs, error) -> {
                if (error != null) failures.add(new Failure<>(w, unwrap(error)));
                permits.release();
              });
    }
    permits.acquireUninterruptibly(maxInFlight);
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /** True when the same write may succeed later: the node is down, busy or slow. */
  static boolean isTransient(Throwable t) {
    return t instanceof AllNodesFailedException
        || t instanceof DriverTimeoutException
        || t instanceof BusyConnectionException
        || t instanceof ClosedConnectionException
        || t instanceof QueryConsistencyException
        || t instanceof UnavailableException
        || t instanceof OverloadedException
        || t instanceof TruncateException
        || t instanceof ServerError
        || t instanceof IllegalStateException;
  }
}
