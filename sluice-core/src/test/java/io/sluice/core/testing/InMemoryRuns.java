package io.sluice.core.testing;

import static io.sluice.core.testing.InMemoryState.key;

import io.sluice.api.DagRunState;
import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.store.StoreTransaction;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The dags and runs half of an {@link InMemoryStore} transaction: plain map operations on the
 * (copied) state; {@link InMemoryTransaction} adds the rest.
 */
abstract class InMemoryRuns implements StoreTransaction {
  final InMemoryState s;

  InMemoryRuns(InMemoryState s) {
    this.s = s;
  }

  @Override
  public void upsertDag(DagRecord d) {
    DagRecord old = s.dags.get(d.dagId());
    s.dags.put(
        d.dagId(),
        old == null
            ? d
            : new DagRecord(
                d.dagId(),
                old.paused(),
                d.schedule(),
                d.description(),
                d.source(),
                d.active(),
                d.lastParsedAt()));
  }

  @Override
  public Optional<DagRecord> dag(String dagId) {
    return Optional.ofNullable(s.dags.get(dagId));
  }

  @Override
  public List<DagRecord> dags() {
    return List.copyOf(s.dags.values());
  }

  @Override
  public void markActive(Collection<String> ids) {
    s.dags.replaceAll(
        (id, d) ->
            new DagRecord(
                id,
                d.paused(),
                d.schedule(),
                d.description(),
                d.source(),
                ids.contains(id),
                d.lastParsedAt()));
  }

  @Override
  public boolean setPaused(String dagId, boolean paused) {
    DagRecord d = s.dags.get(dagId);
    if (d == null) return false;
    s.dags.put(
        dagId,
        new DagRecord(
            dagId,
            paused,
            d.schedule(),
            d.description(),
            d.source(),
            d.active(),
            d.lastParsedAt()));
    return true;
  }

  @Override
  public boolean insertRun(DagRun r) {
    boolean clash =
        s.runs.values().stream()
            .anyMatch(
                o ->
                    o.dagId().equals(r.dagId())
                        && (o.runId().equals(r.runId())
                            || o.logicalDate().equals(r.logicalDate())));
    if (clash) return false;
    s.runs.put(key(r.dagId(), r.runId()), r);
    return true;
  }

  @Override
  public Optional<DagRun> run(String dagId, String runId) {
    return Optional.ofNullable(s.runs.get(key(dagId, runId)));
  }

  @Override
  public Optional<DagRun> lockRun(String dagId, String runId) {
    return run(dagId, runId);
  }

  @Override
  public Optional<DagRun> tryLockRun(String dagId, String runId) {
    return run(dagId, runId);
  }

  private List<DagRun> runsWhere(Predicate<DagRun> p, boolean newestFirst) {
    Comparator<DagRun> byDate = Comparator.comparing(DagRun::logicalDate);
    return s.runs.values().stream()
        .filter(p)
        .sorted(newestFirst ? byDate.reversed() : byDate)
        .toList();
  }

  @Override
  public List<DagRun> runs(String dagId, int limit) {
    return runsWhere(r -> r.dagId().equals(dagId), true).stream().limit(limit).toList();
  }

  @Override
  public List<DagRun> runsInState(DagRunState state) {
    return runsWhere(r -> r.state() == state, false);
  }

  @Override
  public List<DagRun> claimQueuedRuns(String dagId, int limit) {
    return runsWhere(r -> r.dagId().equals(dagId) && r.state() == DagRunState.QUEUED, false)
        .stream()
        .limit(limit)
        .toList();
  }

  @Override
  public Optional<DagRun> lastScheduledRun(String dagId) {
    return runsWhere(r -> r.dagId().equals(dagId) && r.runType() == RunType.SCHEDULED, true)
        .stream()
        .findFirst();
  }

  @Override
  public Optional<DagRun> previousRun(String dagId, Instant logicalDate) {
    return runsWhere(r -> r.dagId().equals(dagId) && r.logicalDate().isBefore(logicalDate), true)
        .stream()
        .findFirst();
  }

  @Override
  public int countRuns(String dagId, DagRunState state) {
    return runsWhere(
            r -> r.dagId().equals(dagId) && r.state() == state && r.runType() != RunType.BACKFILL,
            false)
        .size();
  }

  @Override
  public Optional<DagRun> runAt(String dagId, Instant logicalDate) {
    return runsWhere(r -> r.dagId().equals(dagId) && r.logicalDate().equals(logicalDate), false)
        .stream()
        .findFirst();
  }

  @Override
  public boolean updateRunState(DagRun r, DagRunState expected) {
    DagRun cur = s.runs.get(key(r.dagId(), r.runId()));
    if (cur == null || cur.state() != expected) return false;
    s.runs.put(key(r.dagId(), r.runId()), cur.withState(r.state(), r.startDate(), r.endDate()));
    return true;
  }
}
