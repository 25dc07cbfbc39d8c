package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The output of one run of one benchmark, as bench/run-all.sh saves it: free text with {@code
 * BENCH} lines and one {@code # command: ...} line.
 *
 * <p>A {@code BENCH} line is {@code BENCH [label ...] key=value ...}: the words before the first
 * {@code key=value} are a label that prefixes its keys ({@code BENCH h2 seconds_p50=0.15} gives
 * {@code h2.seconds_p50}); values that are not numbers are ignored. When a key occurs twice, the
 * last one counts.
 */
public record RunLog(Path file, Map<String, Double> values, String command, Instant modified) {

  public static RunLog read(Path file) throws IOException {
    return parse(file, Files.readAllLines(file), Files.getLastModifiedTime(file).toInstant());
  }

  static RunLog parse(Path file, List<String> lines, Instant modified) {
    Map<String, Double> values = new LinkedHashMap<>();
    String command = null;
    for (String line : lines) {
      if (line.startsWith("# command: ")) command = line.substring("# command: ".length()).trim();
      String text = line.strip();
      if (!text.startsWith("BENCH ")) continue;
      String prefix = "";
      boolean inValues = false;
      for (String word : text.substring("BENCH ".length()).trim().split("\\s+")) {
        int eq = word.indexOf('=');
        if (eq <= 0) {
          if (!inValues) prefix = prefix + word + ".";
          continue;
        }
        inValues = true;
        Optional<Double> v = number(word.substring(eq + 1));
        if (v.isPresent()) values.put(prefix + word.substring(0, eq), v.get());
      }
    }
    return new RunLog(file, values, command, modified);
  }

  private static Optional<Double> number(String s) {
    try {
      double v = Double.parseDouble(s.replace(",", ""));
      return Double.isFinite(v) ? Optional.of(v) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  public Optional<Double> value(String key) {
    return Optional.ofNullable(values.get(key));
  }
}
