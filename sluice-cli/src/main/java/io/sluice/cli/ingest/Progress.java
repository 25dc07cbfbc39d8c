package io.sluice.cli.ingest;

import io.sluice.cli.Output;
import io.sluice.cli.OutputFormat;
import io.sluice.ingest.IngestListener;
import io.sluice.ingest.IngestSummary;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A one-line progress bar on a terminal (records/s), and the summary at the end. */
final class Progress implements IngestListener {
  private final PrintStream out;
  private final boolean terminal;
  private final String what;
  private final long start = System.nanoTime();
  private long lastDraw;

  Progress(PrintStream out, boolean terminal, String what) {
    this.out = out;
    this.terminal = terminal;
    this.what = what;
  }

  static Progress onTerminal(String what) {
    return new Progress(System.err, System.console() != null, what);
  }

  @Override
  public void onPage(long fetched, long published, long dlq, long target) {
    if (!terminal) return;
    long now = System.nanoTime();
    if (now - lastDraw < 100_000_000L && (target < 0 || fetched < target)) return;
    lastDraw = now;
    double seconds = Math.max(1e-3, (now - start) / 1e9);
    String bar = "";
    if (target > 0) {
      int width = 30;
      int filled = (int) (width * Math.min(1.0, fetched / (double) target));
      bar =
          "["
              + "#".repeat(filled)
              + " ".repeat(width - filled)
              + "] "
              + String.format(Locale.ROOT, "%3d%% ", (int) (100 * fetched / target));
    }
    out.printf(
        Locale.ROOT,
        "\r%s%s %,d fetched, %,d published, %,d dlq, %,.0f records/s   ",
        bar,
        what,
        fetched,
        published,
        dlq,
        published / seconds);
    out.flush();
  }

  void done() {
    if (terminal) {
      out.println();
      out.flush();
    }
  }

  static void printSummary(OutputFormat format, IngestSummary s, Map<String, Object> extra) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("fetched", s.fetched());
    row.put("published", s.published());
    row.put("dlq", s.dlq());
    row.put("retries", s.retries());
    row.put("seconds", String.format(Locale.ROOT, "%.1f", s.duration().toNanos() / 1e9));
    row.put("records_per_s", String.format(Locale.ROOT, "%.0f", s.recordsPerSecond()));
    row.putAll(extra);
    row.put("run_id", s.runId());
    Output.print(format, List.of(row), List.copyOf(row.keySet()));
  }
}
