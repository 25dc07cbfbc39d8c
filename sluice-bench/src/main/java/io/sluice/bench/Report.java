package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads the raw runs that bench/run-all.sh saved ({@code <raw>/<benchmark>/run-<n>.log}) and writes
 * {@code latest.json} with the median, min, max and every run value of each {@link Metric}, beside
 * its target and the machine, plus one PNG plot per metric.
 *
 * <p>Usage: {@code Report --raw bench/results/raw --out bench/results [--runs 5]}.
 */
public final class Report {
  private static final Pattern RUN_FILE = Pattern.compile("run-(\\d+)\\.log");

  private Report() {}

  public static void main(String[] args) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path raw = Path.of("bench/results/raw");
    Path out = Path.of("bench/results");
    int runsRequested = 0;
    for (int i = 0; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--raw" -> raw = Path.of(args[i + 1]);
        case "--out" -> out = Path.of(args[i + 1]);
        case "--runs" -> runsRequested = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Files.createDirectories(out);
    Path json = out.resolve("latest.json");
    ObjectNode previous =
        Files.isRegularFile(json)
            ? (ObjectNode) new ObjectMapper().readTree(json.toFile())
            : new ObjectMapper().createObjectNode();
    ObjectNode report = build(raw, out, runsRequested, true, previous);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), report);
    System.out.println(summary(report));
    System.out.println("wrote " + json + " and one plot per metric in " + out);
  }

  /**
   * The report as a JSON tree; with {@code plots}, also writes each metric's PNG into {@code out}.
   * A metric whose benchmark has no run logs under {@code raw} (a checkout where it never ran)
   * keeps its entry from {@code previous}, the last report, marked {@code carried_over}; its plot
   * stays as it was.
   */
  static ObjectNode build(Path raw, Path out, int runsRequested, boolean plots, ObjectNode previous)
      throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode report = json.createObjectNode();
    report.put("date", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
    report.set("machine", Machine.describe(json));
    report.put("runs_requested", runsRequested);
    boolean anyQuick = false;
    ObjectNode metrics = report.putObject("metrics");
    for (Metric m : Metric.ALL) {
      List<RunLog> logs = runs(raw.resolve(m.benchmark()));
      JsonNode earlier = previous.path("metrics").path(m.name());
      if (logs.isEmpty() && earlier.path("runs").size() > 0) {
        ObjectNode kept = metrics.putObject(m.name());
        kept.setAll((ObjectNode) earlier);
        kept.put("carried_over", true);
        anyQuick |= earlier.path("quick").asBoolean();
        continue;
      }
      List<Double> values = new ArrayList<>();
      ArrayNode load = json.createArrayNode();
      int failed = 0;
      boolean quick = false;
      String command = null;
      Instant measured = null;
      for (RunLog log : logs) {
        Optional<Double> v = log.value(m.key());
        if (v.isEmpty()) {
          failed++;
          continue;
        }
        values.add(v.get());
        log.value("harness.load_before").ifPresentOrElse(load::add, load::addNull);
        quick |= log.value("harness.quick").orElse(0.0) > 0;
        if (log.command() != null) command = log.command();
        if (measured == null || log.modified().isAfter(measured)) measured = log.modified();
      }
      anyQuick |= quick;
      ObjectNode n = metrics.putObject(m.name());
      n.put("description", m.description());
      n.put("unit", m.unit());
      Stats s = Stats.of(values);
      putNumber(n, "median", s == null ? null : s.median());
      putNumber(n, "min", s == null ? null : s.min());
      putNumber(n, "max", s == null ? null : s.max());
      ArrayNode runs = n.putArray("runs");
      values.forEach(runs::add);
      n.put("runs_failed", failed);
      n.put("target", m.target() + " " + m.unit());
      n.put("target_comparison", m.target().comparison());
      n.put("target_value", m.target().value());
      if (m.targetNote() != null) n.put("target_note", m.targetNote());
      if (s == null) n.putNull("target_met");
      else n.put("target_met", m.target().met(s.median()));
      n.put("benchmark", m.benchmark());
      n.put("command", command);
      n.put("quick", quick);
      n.put(
          "measured_at",
          measured == null ? null : measured.truncatedTo(ChronoUnit.SECONDS).toString());
      n.set("load_1m_before_runs", load);
      if (plots && !values.isEmpty()) {
        Path png = out.resolve(m.name() + ".png");
        Plot.write(m, values, s.median(), quick, png);
        n.put("plot", png.getFileName().toString());
      } else {
        n.putNull("plot");
      }
    }
    report.put("quick", anyQuick);
    return report;
  }

  private static void putNumber(ObjectNode n, String field, Double v) {
    if (v == null) n.putNull(field);
    else n.put(field, v);
  }

  /** The run logs of one benchmark, by run number. */
  static List<RunLog> runs(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) return List.of();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files =
          s.filter(p -> RUN_FILE.matcher(p.getFileName().toString()).matches())
              .sorted(Comparator.comparingInt(Report::runNumber))
              .toList();
    }
    List<RunLog> out = new ArrayList<>();
    for (Path f : files) out.add(RunLog.read(f));
    return out;
  }

  private static int runNumber(Path p) {
    Matcher m = RUN_FILE.matcher(p.getFileName().toString());
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }

  /** A table of the metrics for the terminal. */
  static String summary(ObjectNode report) {
    StringBuilder b = new StringBuilder();
    b.append(
        String.format(
            Locale.ROOT,
            "%-31s %12s %12s %12s %5s  %-16s %s%n",
            "metric",
            "median",
            "min",
            "max",
            "runs",
            "target",
            "met"));
    report
        .get("metrics")
        .fields()
        .forEachRemaining(
            e -> {
              var n = e.getValue();
              b.append(
                  String.format(
                      Locale.ROOT,
                      "%-31s %12s %12s %12s %5d  %-16s %s%n",
                      e.getKey(),
                      text(n.get("median")),
                      text(n.get("min")),
                      text(n.get("max")),
                      n.get("runs").size(),
                      n.get("target").asText(),
                      n.get("target_met").isNull()
                          ? "no runs"
                          : n.get("target_met").asBoolean() ? "yes" : "NO"));
            });
    return b.toString();
  }

  private static String text(JsonNode v) {
    return v == null || v.isNull() ? "-" : Metric.format(v.asDouble());
  }

  /** Median, min and max of the run values. */
  record Stats(double median, double min, double max) {
    static Stats of(List<Double> values) {
      if (values.isEmpty()) return null;
      List<Double> sorted = values.stream().sorted().toList();
      int n = sorted.size();
      double median =
          n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
      return new Stats(median, sorted.get(0), sorted.get(n - 1));
    }
  }

  /** The machine the report was made on: cores, memory, JDK and OS. */
  static final class Machine {
    private Machine() {}

    static ObjectNode describe(ObjectMapper json) {
      ObjectNode m = json.createObjectNode();
      m.put("cores", Runtime.getRuntime().availableProcessors());
      m.put("cpu", firstValue(Path.of("/proc/cpuinfo"), "model name").orElse(null));
      if (ManagementFactory.getOperatingSystemMXBean()
          instanceof com.sun.management.OperatingSystemMXBean os)
        m.put("memory_mib", os.getTotalMemorySize() / (1024 * 1024));
      m.put(
          "jdk",
          System.getProperty("java.version")
              + " ("
              + System.getProperty("java.vm.vendor")
              + ", "
              + System.getProperty("java.vm.name")
              + ")");
      String release =
          firstValue(Path.of("/etc/os-release"), "PRETTY_NAME")
              .map(v -> v.replace("\"", "") + ", ")
              .orElse("");
      m.put(
          "os",
          release
              + System.getProperty("os.name")
              + " "
              + System.getProperty("os.version")
              + " "
              + System.getProperty("os.arch"));
      return m;
    }

    /** The value of the first {@code key: value} or {@code key=value} line of a file. */
    private static Optional<String> firstValue(Path file, String key) {
      try (Stream<String> lines = Files.lines(file)) {
        return lines
            .filter(l -> l.startsWith(key))
            .map(l -> l.substring(key.length()).replaceFirst("^\\s*[:=]\\s*", "").trim())
            .findFirst();
      } catch (IOException | RuntimeException e) {
        return Optional.empty();
      }
    }
  }
}
