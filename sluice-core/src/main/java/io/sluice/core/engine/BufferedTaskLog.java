package io.sluice.core.engine;

import io.sluice.api.TaskLog;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.store.MetadataStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/** A try's log, written to the metadata database in batches and when the try ends. */
final class BufferedTaskLog implements TaskLog {
  private static final int BATCH = 200;
  private final MetadataStore store;
  private final TaskInstance ti;
  private final Clock clock;
  private final List<String> buffer = new ArrayList<>();

  BufferedTaskLog(MetadataStore store, TaskInstance ti, Clock clock) {
    this.store = store;
    this.ti = ti;
    this.clock = clock;
  }

  @Override
  public void line(String text) {
    List<String> batch = null;
    synchronized (buffer) {
      buffer.add("[" + clock.instant() + "] " + text);
      if (buffer.size() >= BATCH) {
        batch = new ArrayList<>(buffer);
        buffer.clear();
      }
    }
    if (batch != null) write(batch);
  }

  /** Takes the buffered lines, to be written by the caller's transaction. */
  List<String> drain() {
    synchronized (buffer) {
      List<String> out = new ArrayList<>(buffer);
      buffer.clear();
      return out;
    }
  }

  void flush() {
    List<String> batch;
    synchronized (buffer) {
      if (buffer.isEmpty()) return;
      batch = new ArrayList<>(buffer);
      buffer.clear();
    }
    write(batch);
  }

  private void write(List<String> lines) {
    store.inTransaction(
        tx -> {
          tx.appendLog(ti.dagId(), ti.runId(), ti.taskId(), ti.tryNumber(), lines);
          return null;
        });
  }
}
