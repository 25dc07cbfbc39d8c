package io.sluice.store.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.LeaseHeldException;
import io.sluice.core.engine.StoreLease;
import io.sluice.core.model.Lease;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.time.VirtualClock;
import io.sluice.store.JdbcStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Service leases (who supervises a streaming job) on every metadata database: one holder at a time,
 * renewals that carry the job's pid, and a takeover once the holder stops renewing.
 */
public abstract class AbstractLeaseContractTest {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");
  static final Duration TTL = Duration.ofSeconds(30);
  protected JdbcStore store;
  final VirtualClock clock = new VirtualClock(T0);

  /** A store on an empty database. */
  protected abstract JdbcStore openStore();

  @BeforeEach
  void setUp() {
    store = openStore();
    store.reset();
  }

  @AfterEach
  void tearDown() {
    store.close();
  }

  static TaskInstance task(String executor, String runId, int tryNumber) {
    return TaskInstance.create("stream_jobs", runId, "users_stream", 3, 1, "default_pool", 1)
        .toBuilder()
        .executorId(executor)
        .tryNumber(tryNumber)
        .build();
  }

  StoreLease acquire(String executor, String runId, int tryNumber) throws LeaseHeldException {
    return StoreLease.acquire(store, clock, task(executor, runId, tryNumber), "stream:users", TTL);
  }

  Optional<Lease> stored() {
    return store.inTransaction(tx -> tx.lease("stream:users"));
  }

  List<Lease> leases() {
    return store.inTransaction(tx -> tx.leases());
  }

  @Test
  void aLiveLeaseRefusesAnotherOwnerAndNamesItsHolder() throws Exception {
    StoreLease first = acquire("scheduler-a", "manual__1", 1);
    assertThat(first.renew(4242, "cassandra=q1")).isTrue();
    clock.advance(Duration.ofSeconds(20));

    assertThatThrownBy(() -> acquire("scheduler-b", "manual__2", 1))
        .isInstanceOf(LeaseHeldException.class)
        .hasMessageContaining("stream:users is supervised by executor scheduler-a")
        .hasMessageContaining("stream_jobs.users_stream of run manual__1 try 1")
        .hasMessageContaining("valid until " + T0.plus(TTL));
    // the refused owner changed nothing
    Lease stored = stored().orElseThrow();
    assertThat(stored.owner()).isEqualTo("scheduler-a");
    assertThat(stored.pid()).isEqualTo(4242L);
    assertThat(stored.queryIds()).isEqualTo("cassandra=q1");
  }

  @Test
  void renewalsKeepTheLeaseAliveAndRecordTheJobsPid() throws Exception {
    StoreLease lease = acquire("scheduler-a", "manual__1", 1);
    for (int i = 0; i < 10; i++) {
      clock.advance(Duration.ofSeconds(10));
      assertThat(lease.renew(4242, "cassandra=q1")).isTrue();
    }
    assertThatThrownBy(() -> acquire("scheduler-b", "manual__1", 2))
        .isInstanceOf(LeaseHeldException.class);
    Lease stored = stored().orElseThrow();
    assertThat(stored.expiresAt()).isAfter(T0.plusSeconds(100));
    assertThat(stored.ownerPid()).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void anExpiredLeaseIsTakenOverWithThePidItsDeadHolderRecorded() throws Exception {
    StoreLease dead = acquire("scheduler-a", "manual__1", 1);
    dead.renew(4242, "cassandra=q1");
    clock.advance(TTL.plusSeconds(1));

    StoreLease next = acquire("scheduler-b", "manual__1", 2);
    assertThat(next.pid()).hasValue(4242);
    assertThat(next.queryIds()).contains("cassandra=q1");
    assertThat(next.lease().owner()).isEqualTo("scheduler-b");
    assertThat(next.lease().tryNumber()).isEqualTo(2);
    // the old holder, back from a pause, has lost it: it can neither renew nor release it
    assertThat(dead.renew(4242, "cassandra=q1")).isFalse();
    dead.close();
    assertThat(stored()).hasValueSatisfying(l -> assertThat(l.owner()).isEqualTo("scheduler-b"));
  }

  @Test
  void aReleasedLeaseIsFreeAtOnce() throws Exception {
    StoreLease first = acquire("scheduler-a", "manual__1", 1);
    first.close();
    assertThat(leases()).isEmpty();
    StoreLease second = acquire("scheduler-a", "manual__1", 2);
    assertThat(second.pid()).isEmpty();
    assertThat(leases()).extracting(Lease::tryNumber).containsExactly(2);
  }

  @Test
  void ofManyOwnersAcquiringAtOnceExactlyOneHoldsTheLease() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Callable<Boolean>> attempts = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        String executor = "scheduler-" + i;
        attempts.add(
            () -> {
              try {
                acquire(executor, "manual__1", 1);
                return true;
              } catch (LeaseHeldException e) {
                return false;
              }
            });
      }
      int holders = 0;
      for (Future<Boolean> f : pool.invokeAll(attempts)) if (f.get()) holders++;
      assertThat(holders).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }
}
