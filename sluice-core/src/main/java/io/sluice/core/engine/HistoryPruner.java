package io.sluice.core.engine;

import io.sluice.core.store.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes finished runs older than the history retention ({@code history.retention}). */
final class HistoryPruner {
  private static final Logger LOG = LoggerFactory.getLogger(HistoryPruner.class);

  private final MetadataStore store;
  private final Duration retention;
  private Instant lastPrune = Instant.MIN;

  /**
   * @param retention zero or negative keeps every run
   */
  HistoryPruner(MetadataStore store, Duration retention) {
    this.store = store;
    this.retention = retention;
  }

  /**
   * Deletes finished runs older than the history retention, at most once a minute and in batches,
   * so that the task table and the logs do not grow without bound.
   */
  void prune(Instant now) {
    Duration keep = retention;
    if (keep.isZero() || keep.isNegative()) return;
    if (Duration.between(lastPrune, now).compareTo(Duration.ofMinutes(1)) < 0) return;
    lastPrune = now;
    int n = store.inTransaction(tx -> tx.pruneFinishedRuns(now.minus(keep), 1000));
    if (n > 0) LOG.info("pruned {} finished DAG runs older than {}", n, keep);
  }
}
