package io.sluice.web.db;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import io.sluice.web.api.Json;
import io.sluice.web.auth.Auth;
import io.sluice.web.auth.Principal;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log (table {@code event_log}): one row for every state-changing request to the REST API
 * or the UI, refused ones included, with the user, the DAG, run and task it names and, in {@code
 * extra}, the method, path, status and address. {@code /api/v2/eventLogs} reads it.
 */
public final class EventLog {
  private static final Logger LOG = LoggerFactory.getLogger(EventLog.class);

  /** Path segments that are actions on the object before them ({@code .../dagRuns/{id}/clear}). */
  private static final Set<String> VERBS =
      Set.of("clear", "pause", "unpause", "cancel", "test", "replay", "dry_run", "wait");

  /** One row. */
  public record Event(
      long id,
      Instant when,
      String event,
      String dagId,
      String taskId,
      String runId,
      Integer tryNumber,
      String owner,
      String extra) {}

  /** Equality and {@code LIKE} filters on columns, a time range, an order and a page. */
  public record Query(
      Map<String, Object> equal,
      Map<String, String> like,
      List<String> included,
      List<String> excluded,
      Instant after,
      Instant before,
      List<String> orderBy,
      int limit,
      int offset) {}

  /** The API's field names of the columns {@link Query#orderBy()} may name. */
  public static final Map<String, String> COLUMNS =
      Map.of(
          "event_log_id", "id",
          "when", "dttm",
          "event", "event",
          "dag_id", "dag_id",
          "task_id", "task_id",
          "run_id", "run_id",
          "try_number", "try_number",
          "owner", "owner");

  private final DataSource dataSource;
  private final Clock clock;

  public EventLog(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** The after-handler: records a state-changing request that reached a route. */
  public void after(Context ctx) {
    HandlerType m = ctx.method();
    if (m == HandlerType.GET || m == HandlerType.HEAD || m == HandlerType.OPTIONS) return;
    Endpoint e = ctx.endpoints().lastHttpEndpoint();
    if (e == null || e.path.equals("*")) return;
    Map<String, String> params = params(e.path, ctx.path());
    Principal p = Auth.caller(ctx);
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("method", m.name());
    extra.put("path", ctx.path());
    extra.put("status", ctx.statusCode());
    if (p != null) extra.put("role", p.role().id());
    if (p != null) extra.put("auth", p.method());
    extra.put("address", ctx.ip());
    try {
      record(
          eventName(m, e.path),
          params.get("dag_id"),
          params.get("task_id"),
          params.getOrDefault("dag_run_id", params.get("run_id")),
          p == null ? null : p.username(),
          Json.write(extra));
    } catch (RuntimeException ex) {
      // why: the change itself is done; a full disk must not turn its answer into an error
      LOG.warn("cannot record the event of {} {}: {}", m, ctx.path(), ex.getMessage());
    }
  }

  /** {@code patch_dag_run} for PATCH {@code .../dagRuns/{id}}, {@code clear_dag_run} for ... */
  static String eventName(HandlerType method, String template) {
    List<String> literals = new ArrayList<>();
    for (String s : template.split("/"))
      if (!s.isEmpty() && !s.startsWith("{") && !s.equals("api") && !s.matches("v\\d"))
        literals.add(s);
    if (literals.isEmpty()) return method.name().toLowerCase();
    String last = literals.get(literals.size() - 1);
    if (VERBS.contains(last) && literals.size() > 1)
      return last + "_" + singular(literals.get(literals.size() - 2));
    return method.name().toLowerCase() + "_" + singular(last);
  }

  private static String singular(String segment) {
    String snake = segment.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase();
    return snake.endsWith("s") && snake.length() > 1
        ? snake.substring(0, snake.length() - 1)
        : snake;
  }

  /** The values of a route's {@code {name}} segments in a path. */
  static Map<String, String> params(String template, String path) {
    Map<String, String> out = new LinkedHashMap<>();
    String[] t = template.split("/");
    String[] p = path.split("/");
    for (int i = 0; i < t.length && i < p.length; i++)
      if (t[i].startsWith("{") && t[i].endsWith("}"))
        out.put(
            t[i].substring(1, t[i].length() - 1),
            java.net.URLDecoder.decode(p[i], java.nio.charset.StandardCharsets.UTF_8));
    return out;
  }

  /** Appends one event now. */
  public void record(
      String event, String dagId, String taskId, String runId, String owner, String extra) {
    Sql.tx(
        dataSource,
        c -> {
          try (PreparedStatement ps =
              Sql.bind(
                  c.prepareStatement(
                      "INSERT INTO event_log (dttm, event, dag_id, task_id, run_id, owner, extra)"
                          + " VALUES (?, ?, ?, ?, ?, ?, ?)"),
                  clock.instant(),
                  event,
                  dagId,
                  taskId,
                  runId,
                  owner,
                  extra)) {
            return ps.executeUpdate();
          }
        });
  }

  /** One event by id. */
  public Optional<Event> get(long id) {
    return Sql.tx(
        dataSource,
        c -> {
          try (PreparedStatement ps =
                  Sql.bind(c.prepareStatement("SELECT * FROM event_log WHERE id = ?"), id);
              ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(event(rs)) : Optional.empty();
          }
        });
  }

  /** The events a query matches, in its order and page, and how many match in all. */
  public Map.Entry<List<Event>, Long> list(Query q) {
    List<Object> params = new ArrayList<>();
    StringBuilder where = new StringBuilder(" WHERE 1 = 1");
    q.equal()
        .forEach(
            (col, v) -> {
              where.append(" AND ").append(col).append(" = ?");
              params.add(v);
            });
    q.like()
        .forEach(
            (col, pattern) -> {
              // why: Airflow's patterns are case-insensitive LIKE, a plain word matching anywhere
              boolean wild = pattern.contains("%") || pattern.contains("_");
              where.append(" AND LOWER(").append(col).append(") LIKE ?");
              params.add((wild ? pattern : "%" + pattern + "%").toLowerCase());
            });
    in(where, params, "event", q.included(), "IN");
    in(where, params, "event", q.excluded(), "NOT IN");
    if (q.after() != null) {
      where.append(" AND dttm > ?");
      params.add(q.after());
    }
    if (q.before() != null) {
      where.append(" AND dttm < ?");
      params.add(q.before());
    }
    StringBuilder order = new StringBuilder(" ORDER BY ");
    for (String f : q.orderBy()) {
      boolean desc = f.startsWith("-");
      order.append(COLUMNS.get(desc ? f.substring(1) : f)).append(desc ? " DESC, " : " ASC, ");
    }
    order.append("id ASC");
    return Sql.tx(
        dataSource,
        c -> {
          long total;
          try (PreparedStatement ps =
                  Sql.bind(
                      c.prepareStatement("SELECT COUNT(*) FROM event_log" + where),
                      params.toArray());
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            total = rs.getLong(1);
          }
          List<Object> paged = new ArrayList<>(params);
          paged.add(q.limit());
          paged.add(q.offset());
          List<Event> rows = new ArrayList<>();
          try (PreparedStatement ps =
                  Sql.bind(
                      c.prepareStatement(
                          "SELECT * FROM event_log" + where + order + " LIMIT ? OFFSET ?"),
                      paged.toArray());
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) rows.add(event(rs));
          }
          return Map.entry(rows, total);
        });
  }

  private static void in(
      StringBuilder where, List<Object> params, String col, List<String> values, String op) {
    if (values.isEmpty()) return;
    where.append(" AND ").append(col).append(' ').append(op).append(" (");
    where.append(String.join(", ", java.util.Collections.nCopies(values.size(), "?")));
    where.append(')');
    params.addAll(values);
  }

  private static Event event(ResultSet rs) throws SQLException {
    int tryNumber = rs.getInt("try_number");
    return new Event(
        rs.getLong("id"),
        Sql.instant(rs, "dttm"),
        rs.getString("event"),
        rs.getString("dag_id"),
        rs.getString("task_id"),
        rs.getString("run_id"),
        rs.wasNull() ? null : tryNumber,
        rs.getString("owner"),
        rs.getString("extra"));
  }
}
