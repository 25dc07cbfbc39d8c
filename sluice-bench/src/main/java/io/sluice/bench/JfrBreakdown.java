package io.sluice.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a benchmark's time goes, from a Java Flight Recorder file: the execution samples (threads
 * running Java code) and the native samples (threads blocked in native code, mostly waiting on a
 * socket) by component, the threads that took the samples, the garbage collector's pauses, and the
 * time threads spent blocked on a monitor or parked on a lock, by the code that waited.
 *
 * <p>A sample belongs to the first frame from the top of its stack that a component names: the
 * PostgreSQL driver, H2, Jackson, Avro, the Kafka client, HMAC (the JDK's crypto), date parsing
 * ({@code java.time}), a Sluice package, and so on. Frames of the JDK's general libraries ({@code
 * java.lang}, {@code java.util}, ...) name no component, so a {@code HashMap.get} called by the
 * driver counts for the driver. "In the stack" is the share of samples with the component anywhere
 * on the stack, so a caller's figure includes what it calls.
 *
 * <p>Usage: {@code JfrBreakdown <recording.jfr> [top N] [thread name regex]}; {@code
 * bench/jfr-breakdown.sh} builds and runs it.
 */
public final class JfrBreakdown {
  /** Components by class-name prefix, most specific first; JDK areas worth naming included. */
  private static final String[][] COMPONENTS = {
    {"org.postgresql.", "PostgreSQL JDBC driver"},
    {"org.h2.", "H2 database"},
    {"com.zaxxer.hikari.", "HikariCP pool"},
    {"org.flywaydb.", "Flyway"},
    {"com.fasterxml.jackson.", "Jackson"},
    {"org.apache.avro.", "Avro"},
    {"io.confluent.", "Confluent serialisers"},
    {"org.apache.kafka.clients.producer.", "Kafka producer"},
    {"org.apache.kafka.clients.consumer.", "Kafka consumer"},
    {"org.apache.kafka.common.", "Kafka client (common: network, records, compression)"},
    {"org.apache.kafka.", "Kafka (broker and tools)"},
    {"kafka.", "Kafka broker (embedded)"},
    {"net.jpountz.", "LZ4"},
    {"com.datastax.", "Cassandra driver"},
    {"io.netty.", "Netty"},
    {"org.apache.spark.", "Spark"},
    {"ch.qos.logback.", "logging"},
    {"org.slf4j.", "logging"},
    {"com.sun.net.httpserver.", "JDK HTTP server (benchmark's page server)"},
    {"sun.net.httpserver.", "JDK HTTP server (benchmark's page server)"},
    {"jdk.internal.net.http.", "JDK HttpClient"},
    {"javax.crypto.", "HMAC / crypto (JDK)"},
    {"com.sun.crypto.", "HMAC / crypto (JDK)"},
    {"sun.security.provider.", "HMAC / crypto (JDK)"},
    {"java.time.", "java.time (dates)"},
    {"java.util.regex.", "regular expressions (JDK)"},
    {"java.util.zip.", "compression (JDK)"},
    {"jdk.jfr.", "JFR itself"},
    {"sun.nio.ch.", "network I/O (JDK)"},
    {"java.net.", "network I/O (JDK)"},
    {"sun.net.", "network I/O (JDK)"},
    {"java.io.", "I/O streams (JDK)"},
    {"java.lang.invoke.", "lambdas / method handles (JDK)"},
    {"java.lang.reflect.", "reflection (JDK)"},
    {"jdk.internal.reflect.", "reflection (JDK)"},
  };

  private static final String OTHER_JDK = "JDK general (java.lang, java.util, ... called from JDK)";

  private final int top;
  private final Pattern threads;
  private final Map<String, Integer> exclusive = new HashMap<>();
  private final Map<String, Integer> inclusive = new HashMap<>();
  private final Map<String, Integer> nativeByComponent = new HashMap<>();
  private final Map<String, Integer> byThread = new HashMap<>();
  private final Map<String, Map<String, Integer>> entries = new HashMap<>();
  private final Map<String, Duration> blocked = new HashMap<>();
  private int samples;
  private int nativeSamples;
  private int gcCount;
  private Duration gcPauses = Duration.ZERO;
  private Duration longestPause = Duration.ZERO;
  private double cpuJvm;
  private double cpuMachine;
  private int cpuEvents;
  private Instant first;
  private Instant last;

  JfrBreakdown(int top, Pattern threads) {
    this.top = top;
    this.threads = threads;
  }

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: JfrBreakdown <recording.jfr> [top N] [thread name regex]");
      System.exit(2);
    }
    int top = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Pattern threads = args.length > 2 ? Pattern.compile(args[2]) : null;
    JfrBreakdown b = new JfrBreakdown(top, threads);
    try (RecordingFile file = new RecordingFile(Path.of(args[0]))) {
      while (file.hasMoreEvents()) b.accept(file.readEvent());
    }
    b.print(System.out, args[0]);
  }

  void accept(RecordedEvent e) {
    String type = e.getEventType().getName();
    // why: settings and system events carry the JVM's start time; samples span the recording
    if (type.endsWith("Sample") || type.equals("jdk.CPULoad")) {
      if (first == null || e.getStartTime().isBefore(first)) first = e.getStartTime();
      if (last == null || e.getEndTime().isAfter(last)) last = e.getEndTime();
    }
    switch (type) {
      case "jdk.ExecutionSample" -> sample(e, false);
      case "jdk.NativeMethodSample" -> sample(e, true);
      case "jdk.GarbageCollection" -> gc(e);
      case "jdk.JavaMonitorEnter" -> wait(e, "monitor enter");
      case "jdk.ThreadPark" -> wait(e, "park");
      case "jdk.CPULoad" -> {
        cpuJvm += e.getFloat("jvmUser") + e.getFloat("jvmSystem");
        cpuMachine += e.getFloat("machineTotal");
        cpuEvents++;
      }
      default -> {}
    }
  }

  private void sample(RecordedEvent e, boolean nativeSample) {
    RecordedThread t = e.getThread("sampledThread");
    String thread = t == null ? "?" : t.getJavaName();
    if (threads != null && (thread == null || !threads.matcher(thread).find())) return;
    RecordedStackTrace stack = e.getStackTrace();
    if (stack == null) return;
    if (nativeSample) {
      nativeSamples++;
      nativeByComponent.merge(
          callerOf(stack.getFrames()) + " (" + threadGroup(thread) + ")", 1, Integer::sum);
      return;
    }
    String component = componentOf(stack.getFrames());
    samples++;
    exclusive.merge(component, 1, Integer::sum);
    entries
        .computeIfAbsent(component, k -> new HashMap<>())
        .merge(entryOf(stack.getFrames(), component), 1, Integer::sum);
    byThread.merge(threadGroup(thread), 1, Integer::sum);
    Set<String> seen = new LinkedHashSet<>();
    for (RecordedFrame f : stack.getFrames()) seen.add(named(f));
    seen.remove(null);
    for (String c : seen) inclusive.merge(c, 1, Integer::sum);
  }

  private void gc(RecordedEvent e) {
    gcCount++;
    Duration pauses = e.getDuration("sumOfPauses");
    gcPauses = gcPauses.plus(pauses);
    if (pauses.compareTo(longestPause) > 0) longestPause = pauses;
  }

  private void wait(RecordedEvent e, String kind) {
    RecordedThread t = e.getThread();
    String thread = t == null ? null : t.getJavaName();
    if (threads != null && (thread == null || !threads.matcher(thread).find())) return;
    RecordedStackTrace stack = e.getStackTrace();
    if (stack == null) return;
    String site = waitSite(stack.getFrames());
    if (site == null) return;
    blocked.merge(kind + " in " + site, e.getDuration(), Duration::plus);
  }

  /** The component of the first frame from the top that one names; else the caller's package. */
  static String componentOf(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      String c = named(f);
      if (c != null) return c;
    }
    return OTHER_JDK;
  }

  /**
   * The first component outside the JDK on the stack: for a thread blocked in a socket read, the
   * library that reads (the PostgreSQL driver waiting for the database's answer, for example).
   */
  static String callerOf(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (f.getMethod() == null || f.getMethod().getType() == null) continue;
      if (isJdk(f.getMethod().getType().getName())) continue;
      return named(f);
    }
    return componentOf(frames);
  }

  /**
   * The outermost frame of {@code component} on the stack, as Class.method: the call into it (for a
   * database, which JDBC call: prepare, execute, commit).
   */
  static String entryOf(List<RecordedFrame> frames, String component) {
    String entry = "(JDK frames only)";
    for (RecordedFrame f : frames) {
      if (component.equals(named(f))) {
        String cls = f.getMethod().getType().getName();
        entry = cls.substring(cls.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
      }
    }
    return entry;
  }

  /** The component a frame belongs to, or null for the JDK's general libraries. */
  static String named(RecordedFrame f) {
    if (f.getMethod() == null || f.getMethod().getType() == null) return null;
    String cls = f.getMethod().getType().getName();
    for (String[] c : COMPONENTS) if (cls.startsWith(c[0])) return c[1];
    if (cls.startsWith("io.sluice.")) return "Sluice: " + packageOf(cls, 3);
    if (isJdk(cls)) return null;
    return "other: " + packageOf(cls, 2);
  }

  /**
   * The first frame outside the JDK's concurrency and thread-pool code, as Class.method; null when
   * the thread waited for work (an idle pool thread or a sleeping loop), which is not a cost.
   */
  static String waitSite(List<RecordedFrame> frames) {
    for (RecordedFrame f : frames) {
      if (f.getMethod() == null) continue;
      String cls = f.getMethod().getType().getName();
      String method = f.getMethod().getName();
      if (cls.startsWith("java.util.concurrent.ThreadPoolExecutor") && method.equals("getTask")) {
        return null;
      }
      if (isJdk(cls)) continue;
      return cls.substring(cls.lastIndexOf('.') + 1)
          + "."
          + method
          + " ("
          + packageOf(cls, 3)
          + ")";
    }
    return null;
  }

  private static boolean isJdk(String cls) {
    return cls.startsWith("java.")
        || cls.startsWith("javax.")
        || cls.startsWith("jdk.")
        || cls.startsWith("sun.")
        || cls.startsWith("com.sun.");
  }

  private static String packageOf(String cls, int parts) {
    String[] p = cls.split("\\.");
    return String.join(".", java.util.Arrays.copyOf(p, Math.min(parts, p.length - 1)));
  }

  /** A thread's name without its numbers, so that a pool's threads count together. */
  static String threadGroup(String name) {
    return name == null ? "?" : name.replaceAll("\\d+", "N");
  }

  void print(PrintStream out, String file) {
    double seconds = first == null ? 0 : Duration.between(first, last).toMillis() / 1000.0;
    out.printf(
        Locale.ROOT,
        "JFR breakdown of %s: %.1f s recorded%s%n",
        file,
        seconds,
        threads == null ? "" : ", threads matching /" + threads.pattern() + "/");
    if (cpuEvents > 0) {
      int cores = Runtime.getRuntime().availableProcessors();
      out.printf(
          Locale.ROOT,
          "CPU: this JVM %.0f%% of the machine (%.2f of %d cores), the whole machine %.0f%%%n",
          100 * cpuJvm / cpuEvents,
          cores * cpuJvm / cpuEvents,
          cores,
          100 * cpuMachine / cpuEvents);
    }
    out.printf("%nExecution samples (threads running Java code): %d%n%n", samples);
    out.println("| component | samples | share (top frame) | share (in the stack) |");
    out.println("|---|---:|---:|---:|");
    for (var en : sorted(exclusive)) {
      out.printf(
          Locale.ROOT,
          "| %s | %d | %.1f%% | %.1f%% |%n",
          en.getKey(),
          en.getValue(),
          pct(en.getValue(), samples),
          pct(inclusive.getOrDefault(en.getKey(), en.getValue()), samples));
    }
    List<Map.Entry<String, Integer>> biggest = sorted(exclusive);
    for (var en : biggest.subList(0, Math.min(3, biggest.size()))) {
      printCounts(
          out,
          "Calls into " + en.getKey() + " (its outermost frame), execution samples",
          "entry",
          entries.get(en.getKey()),
          en.getValue());
    }
    printCounts(out, "Threads (execution samples)", "thread", byThread, samples);
    printCounts(
        out,
        "Native samples (threads blocked in native code, by the first non-JDK caller)",
        "caller (threads)",
        nativeByComponent,
        nativeSamples);
    out.printf(
        Locale.ROOT,
        "%nGarbage collection: %d collections, pauses %d ms in total (%.1f%% of the recording),"
            + " longest %d ms%n",
        gcCount,
        gcPauses.toMillis(),
        seconds == 0 ? 0 : gcPauses.toMillis() / 10.0 / seconds,
        longestPause.toMillis());
    printWaits(out);
  }

  private void printCounts(
      PrintStream out, String title, String what, Map<String, Integer> counts, int total) {
    out.printf("%n%s: %d%n%n| %s | samples | share |%n|---|---:|---:|%n", title, total, what);
    for (var en : sorted(counts)) {
      out.printf(
          Locale.ROOT,
          "| %s | %d | %.1f%% |%n",
          en.getKey(),
          en.getValue(),
          pct(en.getValue(), total));
    }
  }

  private void printWaits(PrintStream out) {
    List<Map.Entry<String, Duration>> waits = new ArrayList<>(blocked.entrySet());
    waits.sort((a, b) -> b.getValue().compareTo(a.getValue()));
    out.printf(
        "%nLock waits (monitor enter and parks over the recording's threshold, idle pool threads"
            + " left out), summed over threads:%n%n| where | total ms |%n|---|---:|%n");
    for (var en : waits.subList(0, Math.min(top, waits.size()))) {
      out.printf("| %s | %d |%n", en.getKey(), en.getValue().toMillis());
    }
  }

  private List<Map.Entry<String, Integer>> sorted(Map<String, Integer> counts) {
    List<Map.Entry<String, Integer>> list = new ArrayList<>(counts.entrySet());
    list.sort((a, b) -> b.getValue() - a.getValue());
    return list.subList(0, Math.min(top, list.size()));
  }

  private static double pct(int part, int whole) {
    return whole == 0 ? 0 : 100.0 * part / whole;
  }
}
