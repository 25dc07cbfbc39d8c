package io.sluice.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/** Prints listings as an aligned text table or as a JSON array, the same rows either way. */
public final class Output {
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  private Output() {}

  public static void print(
      OutputFormat format, List<? extends Map<String, ?>> rows, List<String> columns) {
    print(System.out, format, rows, columns);
  }

  public static void print(
      PrintStream out,
      OutputFormat format,
      List<? extends Map<String, ?>> rows,
      List<String> columns) {
    if (format == OutputFormat.json) {
      try {
        out.println(JSON.writeValueAsString(rows));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      return;
    }
    int[] widths = new int[columns.size()];
    for (int i = 0; i < columns.size(); i++) widths[i] = columns.get(i).length();
    for (var row : rows)
      for (int i = 0; i < columns.size(); i++)
        widths[i] = Math.max(widths[i], cell(row, columns.get(i)).length());
    StringBuilder sb = new StringBuilder();
    appendRow(sb, widths, columns.stream().map(String::toUpperCase).toList());
    for (var row : rows) appendRow(sb, widths, columns.stream().map(c -> cell(row, c)).toList());
    out.print(sb);
  }

  /** Serialises any value as pretty JSON. */
  public static String json(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A value for one table cell: lists and maps as one-line JSON, the rest as text. */
  public static String compact(Object value) {
    if (!(value instanceof java.util.Collection<?>) && !(value instanceof Map<?, ?>))
      return String.valueOf(value);
    try {
      return new ObjectMapper().writeValueAsString(value);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String cell(Map<String, ?> row, String column) {
    Object v = row.get(column);
    return v == null ? "" : v.toString();
  }

  private static void appendRow(StringBuilder sb, int[] widths, List<String> cells) {
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      sb.append(c);
      if (i < cells.size() - 1) sb.append(" ".repeat(widths[i] - c.length() + 2));
    }
    sb.append('\n');
  }
}
