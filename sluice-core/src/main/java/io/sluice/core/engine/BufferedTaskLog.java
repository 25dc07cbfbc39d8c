package io.sluice.core.engine;

import io.sluice.api.TaskLog;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.MetadataStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A try's log, written to the metadata database as it happens: a line is stored at most {@link
 * #FLUSH_AFTER} after it was logged (in batches of up to 200 lines), and the rest when the try
 * ends, in the transaction that records its outcome. So a long-running try, a {@code stream} task
 * above all, can be followed while it runs.
 */
final class BufferedTaskLog implements TaskLog {
  /** The longest a logged line waits before it is stored. */
  static final Duration FLUSH_AFTER = Duration.ofMillis(500);

  private static final Logger LOG = LoggerFactory.getLogger(BufferedTaskLog.class);
  private static final int BATCH = 200;

  // why: one daemon thread for every try's log; a flush is one short insert
  private static final ScheduledExecutorService FLUSHER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "sluice-task-log-flusher");
            t.setDaemon(true);
            return t;
          });

  private final MetadataStore store;
  private final TaskInstance ti;
  private final Clock clock;
  private final List<String> buffer = new ArrayList<>();
  private final Object writing = new Object();
  private ScheduledFuture<?> scheduled;
  private boolean drained;

  BufferedTaskLog(MetadataStore store, TaskInstance ti, Clock clock) {
    this.store = store;
    this.ti = ti;
    this.clock = clock;
  }

  @Override
  public void line(String text) {
    boolean full;
    synchronized (buffer) {
      buffer.add("[" + clock.instant() + "] " + text);
      full = buffer.size() >= BATCH;
      if (!full && scheduled == null && !drained)
        scheduled =
            FLUSHER.schedule(this::flushQuietly, FLUSH_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }
    if (full) flush();
  }

  /**
   * Takes the lines not stored yet, to be written by the caller's transaction; later lines are
   * stored by the caller too ({@link #flush()}).
   */
  List<String> drain() {
    // why: waits for a flush in progress, so that its lines are stored before the drained ones
    synchronized (writing) {
      synchronized (buffer) {
        drained = true;
        if (scheduled != null) scheduled.cancel(false);
        scheduled = null;
        List<String> out = new ArrayList<>(buffer);
        buffer.clear();
        return out;
      }
    }
  }

  /** Stores the buffered lines now. */
  void flush() {
    synchronized (writing) {
      List<String> batch;
      synchronized (buffer) {
        if (scheduled != null) scheduled.cancel(false);
        scheduled = null;
        if (buffer.isEmpty()) return;
        batch = new ArrayList<>(buffer);
        buffer.clear();
      }
      try {
        store.inTransaction(
            tx -> {
              tx.appendLog(ti.dagId(), ti.runId(), ti.taskId(), ti.tryNumber(), batch);
              return null;
            });
      } catch (RuntimeException e) {
        synchronized (buffer) {
          buffer.addAll(0, batch);
        }
        throw e;
      }
    }
  }

  private void flushQuietly() {
    try {
      flush();
    } catch (RuntimeException e) {
      // why: the lines stay buffered; the next flush or the try's end stores them
      LOG.warn("could not store log lines of {}: {}", ti.key(), e.toString());
    }
  }
}
