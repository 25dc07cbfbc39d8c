package io.sluice.core.engine;

import io.sluice.core.model.TaskInstance;
import io.sluice.core.service.BackfillService;
import io.sluice.core.service.DagRunService;
import io.sluice.core.store.MetadataStore;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine loop of one process: a thread that runs its pass every tick (or at once when woken),
 * the local executor the pass hands task instances to, and the run service whose writes wake it.
 * What a pass does (create runs, evaluate them, claim tasks, reap zombies...) is composed by {@link
 * Engines} for each kind of process; the loop knows none of it.
 *
 * <p>Time comes from the injected {@link Clock}; {@link #tick()} can be driven by hand (the test
 * kit does) or by {@link #start()}'s background thread.
 */
public final class EngineLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EngineLoop.class);

  /**
   * One pass of the loop: queues the task instances to hand to the executor into {@code submit}.
   */
  @FunctionalInterface
  interface Pass {
    /**
     * @param sweepAlways evaluate every running run now, not only once per tick
     */
    void run(List<TaskInstance> submit, boolean sweepAlways);
  }

  private final EngineParts parts;
  private final Pass pass;
  private final String name;
  private final DagRunService runs;
  private final BackfillService backfills;
  private final Semaphore wakeup = new Semaphore(0);
  private volatile Thread loop;

  EngineLoop(EngineParts parts, String name, Pass pass) {
    this.parts = parts;
    this.name = name;
    this.pass = pass;
    this.runs =
        new DagRunService(parts.store, parts.bag, parts.clock)
            .onChange(
                () -> {
                  parts.changes.incrementAndGet();
                  wakeUp();
                });
    this.backfills = new BackfillService(runs);
  }

  /** Backfills: create, list, pause, unpause, cancel; waking this loop after each write. */
  public BackfillService backfills() {
    return backfills;
  }

  /** Trigger, backfill, clear and the other operations, waking this loop after each. */
  public DagRunService runs() {
    return runs;
  }

  public String executorId() {
    return parts.executorId;
  }

  public DagBag dagBag() {
    return parts.bag;
  }

  public MetadataStore store() {
    return parts.store;
  }

  public Clock clock() {
    return parts.clock;
  }

  /** Starts the background loop thread. */
  public synchronized EngineLoop start() {
    if (loop != null) return this;
    loop = new Thread(this::loop, "sluice-" + name);
    loop.setDaemon(true);
    loop.start();
    return this;
  }

  private void loop() {
    while (!parts.stopping.get()) {
      try {
        tick(false);
      } catch (RuntimeException e) {
        LOG.error("{} loop failed; retrying", name, e);
      }
      try {
        wakeup.tryAcquire(parts.options.tick().toMillis(), TimeUnit.MILLISECONDS);
        wakeup.drainPermits();
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Makes the background loop run now instead of at its next tick. */
  public void wakeUp() {
    wakeup.release();
  }

  /** Stops the loop, lets running tasks finish within the grace period, then interrupts them. */
  @Override
  public void close() {
    parts.stopping.set(true);
    // why: a service task never finishes on its own; waiting the grace period for it is pointless
    parts.executor.interruptServices(k -> true, "stopped by executor shutdown");
    Thread l = loop;
    if (l != null) {
      l.interrupt();
      try {
        l.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    parts.executor.shutdown(parts.options.shutdownGrace());
  }

  /** Task instances submitted to the executor and not finished. */
  public int inFlight() {
    return parts.executor.inFlight();
  }

  /** Increases on every state change this process makes; lets callers detect quiescence. */
  public long changeCount() {
    return parts.changes.get();
  }

  /** One pass, evaluating every running run. Returns true when it changed any state. */
  public boolean tick() {
    return tick(true);
  }

  /**
   * One pass as the background loop makes it: a quiet one (nothing changed, nothing due) skips its
   * scheduling.
   */
  boolean backgroundTick() {
    return tick(false);
  }

  private synchronized boolean tick(boolean sweepAlways) {
    long before = parts.changes.get();
    List<TaskInstance> submit = new ArrayList<>();
    pass.run(submit, sweepAlways);
    parts.taskRunner.submitAll(submit);
    return parts.changes.get() != before;
  }

  /** Writes the known DAGs and import errors to the metadata database. */
  public void syncDags() {
    parts.runScheduler.syncDags();
  }

  /** The next time something is due: a run to create, a retry, a reschedule, a timeout. */
  public Optional<Instant> nextDueTime() {
    return parts.runScheduler.nextDueTime();
  }
}
