package io.sluice.web.api.v2;

import io.javalin.http.Context;
import io.sluice.web.api.ApiException;
import io.sluice.web.api.Json;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Airflow's list conventions: {@code limit} (default 50), {@code offset}, {@code order_by} (a field
 * name, {@code -} before it for descending, several comma-separated or repeated) and a {@code
 * total_entries} that counts every match, not the page.
 */
final class Page {
  static final int DEFAULT_LIMIT = 50;
  static final int MAX_LIMIT = 1000;

  private Page() {}

  /** Sorts, pages and sends {@code {name: [...], total_entries: n}}. */
  static void send(Context ctx, String name, List<Map<String, Object>> rows, String defaultOrder) {
    Json.send(ctx, of(ctx, name, rows, defaultOrder));
  }

  static Map<String, Object> of(
      Context ctx, String name, List<Map<String, Object>> rows, String defaultOrder) {
    int limit = intParam(ctx, "limit", DEFAULT_LIMIT, 0);
    int offset = intParam(ctx, "offset", 0, 0);
    List<Map<String, Object>> sorted = sorted(ctx, rows, defaultOrder);
    int from = Math.min(offset, sorted.size());
    int to = Math.min(sorted.size(), from + Math.min(limit, MAX_LIMIT));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put(name, sorted.subList(from, to));
    m.put("total_entries", rows.size());
    return m;
  }

  /** The rows in {@code order_by} order, without paging. */
  static List<Map<String, Object>> sorted(
      Context ctx, List<Map<String, Object>> rows, String defaultOrder) {
    List<Map<String, Object>> sorted = new ArrayList<>(rows);
    sorted.sort(order(ctx, rows, defaultOrder));
    return sorted;
  }

  private static Comparator<Map<String, Object>> order(
      Context ctx, List<Map<String, Object>> rows, String defaultOrder) {
    List<String> fields = new ArrayList<>();
    for (String p : ctx.queryParams("order_by"))
      for (String f : p.split(",")) if (!f.isBlank()) fields.add(f.trim());
    if (fields.isEmpty()) fields.add(defaultOrder);
    Set<String> known = new java.util.HashSet<>();
    rows.forEach(r -> known.addAll(r.keySet()));
    Comparator<Map<String, Object>> c = (a, b) -> 0;
    for (String f : fields) {
      boolean desc = f.startsWith("-");
      String key = desc ? f.substring(1) : f;
      if (!rows.isEmpty() && !known.contains(key))
        throw ApiException.badRequest(
            "Ordering with '" + key + "' is disallowed or the attribute does not exist");
      Comparator<Map<String, Object>> one = (a, b) -> compare(a.get(key), b.get(key));
      c = c.thenComparing(desc ? one.reversed() : one);
    }
    return c;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(Object a, Object b) {
    if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
    if (a instanceof Comparable ca && a.getClass() == b.getClass()) return ca.compareTo(b);
    if (a instanceof Number na && b instanceof Number nb)
      return Double.compare(na.doubleValue(), nb.doubleValue());
    return String.valueOf(a).compareTo(String.valueOf(b));
  }

  /** A non-negative integer query parameter no smaller than {@code min}. */
  static int intParam(Context ctx, String name, int dflt, int min) {
    String s = ctx.queryParam(name);
    if (s == null || s.isBlank()) return dflt;
    try {
      int n = Integer.parseInt(s.trim());
      if (n < min) throw new NumberFormatException();
      return n;
    } catch (NumberFormatException e) {
      throw new ApiException(422, "'" + name + "' must be an integer of at least " + min);
    }
  }

  /**
   * Airflow's {@code *_pattern} filters: SQL LIKE with {@code %} and {@code _}, case-insensitive.
   */
  static boolean like(String value, String pattern) {
    if (pattern == null || pattern.isEmpty()) return true;
    if (value == null) return false;
    StringBuilder re = new StringBuilder("(?is)");
    boolean wildcard = false;
    for (char ch : pattern.toCharArray()) {
      if (ch == '%') {
        re.append(".*");
        wildcard = true;
      } else if (ch == '_') {
        re.append('.');
        wildcard = true;
      } else re.append(java.util.regex.Pattern.quote(String.valueOf(ch)));
    }
    // why: Airflow matches a pattern without wildcards as a substring (ilike %pattern%)
    return wildcard
        ? value.matches(re.toString())
        : value.toLowerCase().contains(pattern.toLowerCase());
  }
}
