package io.sluice.spark;

import io.sluice.core.jvm.ClassArchive;
import io.sluice.spark.launch.JvmFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the job JVMs' class-data-sharing archive ({@link ClassArchive#dumpNow()}) from the first
 * job JVM after a build, so that later ones start from it. The JVM stops while the archive is
 * written (a few seconds of CPU on a quiet machine, minutes on a saturated one), so it is written
 * only when that holds up nothing:
 *
 * <ul>
 *   <li>every query of the JVM has started and run a batch, and one of them has processed records,
 *       so the archive holds the classes of the steady state and the first row is long written;
 *   <li>no query has had a batch in flight for {@link #QUIET}: a dump delays no record;
 *   <li>the machine's load average is at most {@link JvmFlags#DUMP_MAX_LOAD_PER_CORE} per core,
 *       since the pause grows with it.
 * </ul>
 *
 * Until {@link #GIVE_UP} after the queries started; then the JVM gives up and the next job JVM
 * tries again. Without an archive a job JVM starts as it always did.
 */
final class ClassArchiveWriter {
  private static final Logger log = LoggerFactory.getLogger(ClassArchiveWriter.class);

  static final Duration QUIET = Duration.ofSeconds(5);
  static final Duration GIVE_UP = Duration.ofMinutes(15);
  private static final Duration LOOK = Duration.ofSeconds(1);

  private final List<StreamingQuery> queries;
  private final DoubleSupplier loadPerCore;
  private long quietSince = -1;

  ClassArchiveWriter(List<StreamingQuery> queries, DoubleSupplier loadPerCore) {
    this.queries = queries;
    this.loadPerCore = loadPerCore;
  }

  /**
   * In a job JVM started to write the archive (none yet): watches {@code queries} on a daemon
   * thread and writes it at the first safe moment. Does nothing in any other JVM.
   */
  static void startIfRequested(List<StreamingQuery> queries) {
    if (!ClassArchive.dumpRequested()) return;
    ClassArchiveWriter writer = new ClassArchiveWriter(List.copyOf(queries), JvmFlags::loadPerCore);
    Thread t = new Thread(writer::run, "class-archive-writer");
    t.setDaemon(true);
    t.start();
  }

  private void run() {
    long deadline = System.nanoTime() + GIVE_UP.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        Thread.sleep(LOOK.toMillis());
        if (readyAt(System.nanoTime())) {
          write();
          return;
        }
      }
    } catch (InterruptedException e) {
      return;
    }
    log.info(
        "no class-data-sharing archive written: the queries were not idle on a machine at load"
            + " ≤ {} per core within {}; the next job JVM tries again",
        JvmFlags.DUMP_MAX_LOAD_PER_CORE,
        GIVE_UP);
  }

  /**
   * True once the queries have been {@link #idle()} on a machine not too loaded for {@link #QUIET}.
   */
  boolean readyAt(long nanos) {
    if (!idle() || loadPerCore.getAsDouble() > JvmFlags.DUMP_MAX_LOAD_PER_CORE) {
      quietSince = -1;
      return false;
    }
    if (quietSince < 0) quietSince = nanos;
    return nanos - quietSince >= QUIET.toNanos();
  }

  /**
   * True when every query is active and has run a batch, one of them with records, and none has a
   * batch in flight.
   */
  boolean idle() {
    if (queries.isEmpty()) return false;
    boolean rows = false;
    for (StreamingQuery q : queries) {
      if (!q.isActive() || q.lastProgress() == null || inFlight(q)) return false;
      for (StreamingQueryProgress p : q.recentProgress()) rows |= p.numInputRows() > 0;
    }
    return rows;
  }

  // why: a trigger that found records is processing them; the status keeps the last trigger's
  // finding until the next one looks again, so an idle trigger (waiting for records) is not one
  private static boolean inFlight(StreamingQuery q) {
    return q.status().isTriggerActive() && q.status().isDataAvailable();
  }

  private static void write() {
    long began = System.nanoTime();
    Optional<Path> archive = ClassArchive.dumpNow();
    long ms = (System.nanoTime() - began) / 1_000_000;
    if (archive.isPresent())
      log.info(
          "wrote the class-data-sharing archive {} in {} ms; later job JVMs map it",
          archive.get(),
          ms);
    else log.warn("no class-data-sharing archive written ({} ms)", ms);
  }
}
