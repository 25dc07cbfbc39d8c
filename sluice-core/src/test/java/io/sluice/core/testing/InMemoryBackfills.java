package io.sluice.core.testing;

import io.sluice.core.model.Backfill;
import io.sluice.core.model.BackfillDagRun;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The backfill tables of {@link InMemoryStore}; copied with the rest of its state. */
final class InMemoryBackfills {
  private final Map<Long, Backfill> backfills = new TreeMap<>();
  private final Map<Long, List<BackfillDagRun>> dagRuns = new TreeMap<>();
  private long nextId = 1;

  InMemoryBackfills copy() {
    InMemoryBackfills c = new InMemoryBackfills();
    c.backfills.putAll(backfills);
    dagRuns.forEach((k, v) -> c.dagRuns.put(k, new ArrayList<>(v)));
    c.nextId = nextId;
    return c;
  }

  long insert(Backfill b, List<Instant> logicalDates) {
    long id = nextId++;
    backfills.put(id, b.withId(id));
    List<BackfillDagRun> rows = new ArrayList<>();
    for (int i = 0; i < logicalDates.size(); i++)
      rows.add(new BackfillDagRun(id, i, logicalDates.get(i), null, null));
    dagRuns.put(id, rows);
    return id;
  }

  Optional<Backfill> get(long id) {
    return Optional.ofNullable(backfills.get(id));
  }

  List<Backfill> list(String dagId) {
    return backfills.values().stream()
        .filter(b -> dagId == null || b.dagId().equals(dagId))
        .sorted(Comparator.comparingLong(Backfill::id).reversed())
        .toList();
  }

  List<Backfill> active() {
    return backfills.values().stream().filter(b -> !b.isCompleted()).toList();
  }

  boolean update(Backfill b) {
    Backfill old = backfills.get(b.id());
    if (old == null) return false;
    backfills.put(
        b.id(),
        new Backfill(
            old.id(),
            old.dagId(),
            old.fromDate(),
            old.toDate(),
            old.confJson(),
            old.reprocessBehavior(),
            old.maxActiveRuns(),
            old.runBackwards(),
            b.paused(),
            old.createdAt(),
            b.completedAt(),
            b.updatedAt()));
    return true;
  }

  List<BackfillDagRun> dagRuns(long backfillId) {
    return List.copyOf(dagRuns.getOrDefault(backfillId, List.of()));
  }

  void updateDagRun(BackfillDagRun r) {
    List<BackfillDagRun> rows = dagRuns.get(r.backfillId());
    if (rows != null && r.sortOrdinal() < rows.size()) rows.set(r.sortOrdinal(), r);
  }
}
