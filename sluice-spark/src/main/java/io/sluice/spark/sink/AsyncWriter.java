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
  private final Semaphore permits;
  private final BiConsumer<T, Throwable> rejected;
  private final ConcurrentLinkedQueue<Failure<T>> failures = new ConcurrentLinkedQueue<>();
  private long sent;
  private long written;

  public AsyncWriter(CqlSession session, int maxInFlight, BiConsumer<T, Throwable> rejected) {
    this.session = session;
    this.maxInFlight = maxInFlight;
    this.permits = new Semaphore(maxInFlight);
    this.rejected = rejected;
  }

  /**
   * Sends one write of {@code source} as soon as fewer than {@code maxInFlight} are running, so
   * that the node always has a full window of writes. Failed writes wait for {@link #flush}; when
   * many have failed (the node is down) this call flushes, which bounds the memory they hold.
   */
  public void write(T source, BoundStatement statement) {
    // why: each setter of a built statement copies it; a binder sets this on its builder
    send(
        new Pending<>(
            source,
            Boolean.TRUE.equals(statement.isIdempotent())
                ? statement
                : statement.setIdempotent(true)));
    if (failures.size() >= 4 * maxInFlight) flush();
  }

  private void send(Pending<T> write) {
    permits.acquireUninterruptibly();
    sent++;
    session
        .executeAsync(write.statement())
        .whenComplete(
            (rs, error) -> {
              if (error != null) failures.add(new Failure<>(write, unwrap(error)));
              permits.release();
            });
  }

  /** Writes that failed and wait for {@link #flush} to retry or reject them. */
  public int failed() {
    return failures.size();
  }

  /** Blocks until every write sent is stored or rejected; returns the rows stored so far. */
  public long flush() {
    Backoff backoff = new Backoff();
    while (true) {
      permits.acquireUninterruptibly(maxInFlight);
      permits.release(maxInFlight);
      List<Pending<T>> retry = new ArrayList<>();
      Throwable lastTransient = null;
      long refused = 0;
      Failure<T> f;
      while ((f = failures.poll()) != null) {
        if (isTransient(f.error())) {
          retry.add(f.write());
          lastTransient = f.error();
        } else {
          rejected.accept(f.write().source(), f.error());
          refused++;
        }
      }
      written += sent - retry.size() - refused;
      sent = 0;
      if (retry.isEmpty()) return written;
      log.warn(
          "{} Cassandra writes failed transiently ({}); retrying",
          retry.size(),
          lastTransient.getMessage());
      backoff.pause();
      for (Pending<T> w : retry) send(w);
    }
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
