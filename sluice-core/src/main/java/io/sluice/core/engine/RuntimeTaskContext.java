package io.sluice.core.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.api.Connection;
import io.sluice.api.LeaseHeldException;
import io.sluice.api.ServiceLease;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskLog;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
import io.sluice.core.secrets.Masking;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.time.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The {@link TaskContext} of one try, backed by the metadata store. */
final class RuntimeTaskContext implements TaskContext {
  private final TaskInstance ti;
  private final DagRun run;
  private final MetadataStore store;
  private final ConnectionResolver connections;
  private final Clock clock;
  private final Sleeper sleeper;
  private final TaskLog log;
  private final Map<String, Object> params;
  private final Map<String, Object> conf;
  private final Map<String, String> env;
  private Map<String, Object> templateContext;
  private final RenderedFieldsRecorder rendered = new RenderedFieldsRecorder();

  RuntimeTaskContext(
      TaskInstance ti,
      DagRun run,
      Map<String, Object> dagParams,
      MetadataStore store,
      ConnectionResolver connections,
      Clock clock,
      Sleeper sleeper,
      TaskLog log,
      Map<String, String> env) {
    this.ti = ti;
    this.run = run;
    this.store = store;
    this.connections = connections;
    this.clock = clock;
    this.sleeper = sleeper;
    this.log = log;
    this.env = env;
    this.conf = parseConf(run.confJson());
    Map<String, Object> p = new LinkedHashMap<>(dagParams);
    p.putAll(conf);
    this.params = Collections.unmodifiableMap(p);
  }

  static Map<String, Object> parseConf(String json) {
    if (json == null || json.isBlank()) return Map.of();
    try {
      Map<String, Object> m =
          XComCodec.mapper().readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
      return Collections.unmodifiableMap(m);
    } catch (Exception e) {
      throw new IllegalArgumentException("run conf is not a JSON object: " + e.getMessage(), e);
    }
  }

  @Override
  public String dagId() {
    return ti.dagId();
  }

  @Override
  public String taskId() {
    return ti.taskId();
  }

  @Override
  public String runId() {
    return ti.runId();
  }

  @Override
  public Instant logicalDate() {
    return run.logicalDate();
  }

  @Override
  public Instant dataIntervalStart() {
    return run.dataIntervalStart();
  }

  @Override
  public Instant dataIntervalEnd() {
    return run.dataIntervalEnd();
  }

  @Override
  public int tryNumber() {
    return ti.tryNumber();
  }

  @Override
  public Map<String, Object> params() {
    return params;
  }

  @Override
  public Map<String, Object> conf() {
    return conf;
  }

  @Override
  public <T> Optional<T> xcomPull(String taskId, String key, Class<T> type) {
    Optional<String> raw = store.inTransaction(tx -> tx.xcom(ti.dagId(), ti.runId(), taskId, key));
    return raw.map(r -> XComCodec.decode(r, type));
  }

  @Override
  public void xcomPush(String key, Object value) {
    String encoded = XComCodec.encode(value);
    store.inTransaction(
        tx -> {
          tx.putXCom(ti.dagId(), ti.runId(), ti.taskId(), key, encoded);
          return null;
        });
  }

  @Override
  public Optional<String> variable(String key) {
    String fromEnv = env.get("SLUICE_VAR_" + key.toUpperCase(Locale.ROOT));
    if (fromEnv != null) return Optional.of(fromEnv);
    return store.inTransaction(tx -> tx.variable(key));
  }

  @Override
  public Optional<Connection> connection(String connId) {
    return connections.find(connId);
  }

  @Override
  public TaskLog log() {
    return log;
  }

  @Override
  public Clock clock() {
    return clock;
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    sleeper.sleep(duration);
  }

  @Override
  public Instant firstAttemptStart() {
    return ti.firstAttemptStart() != null ? ti.firstAttemptStart() : ti.startDate();
  }

  @Override
  public ServiceLease acquireLease(String name, Duration ttl) throws LeaseHeldException {
    return StoreLease.acquire(store, clock, ti, name, ttl);
  }

  @Override
  public String render(String template) {
    if (templateContext == null) templateContext = templateContext();
    return Templates.render(template, templateContext);
  }

  @Override
  public String render(String field, String template) {
    String out = render(template);
    if (template != null) rendered.record(field, out);
    return out;
  }

  /** The fields this try rendered by name so far, secrets masked, in the order rendered. */
  Map<String, String> renderedFields() {
    return rendered.fields();
  }

  private Map<String, Object> templateContext() {
    Map<String, Object> c = new LinkedHashMap<>();
    var utc = run.logicalDate().atOffset(ZoneOffset.UTC);
    c.put("ds", DateTimeFormatter.ISO_LOCAL_DATE.format(utc));
    c.put("ds_nodash", DateTimeFormatter.BASIC_ISO_DATE.format(utc).substring(0, 8));
    c.put("ts", RunType.timestamp(run.logicalDate()));
    c.put("ts_nodash", DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").format(utc));
    c.put("logical_date", RunType.timestamp(run.logicalDate()));
    c.put("data_interval_start", RunType.timestamp(run.dataIntervalStart()));
    c.put("data_interval_end", RunType.timestamp(run.dataIntervalEnd()));
    c.put("run_id", run.runId());
    c.put("dag_id", ti.dagId());
    c.put("task_id", ti.taskId());
    c.put("try_number", ti.tryNumber());
    c.put("params", params);
    c.put(
        "dag_run",
        Map.of("conf", conf, "run_id", run.runId(), "run_type", run.runType().dbValue()));
    Templates.Lookup value =
        k ->
            variable(k)
                .map(
                    v -> {
                      if (Masking.sensitiveKey(k)) rendered.secret(v);
                      return v;
                    })
                .orElse(null);
    Templates.Lookup json =
        k ->
            variable(k)
                .map(
                    v -> {
                      try {
                        return (Object) XComCodec.mapper().readValue(v, Object.class);
                      } catch (Exception e) {
                        throw new IllegalArgumentException("variable '" + k + "' is not JSON");
                      }
                    })
                .orElse(null);
    c.put("var", Map.of("value", value, "json", json));
    Templates.Lookup conn =
        k ->
            connection(k)
                .map(
                    cn -> {
                      rendered.secret(cn.password());
                      return cn;
                    })
                .orElse(null);
    c.put("conn", conn);
    c.put("ti", taskInstanceView());
    return c;
  }

  /** {@code ti} as Airflow's Jinja context has it: ids, try number, xcom_pull and xcom_push. */
  private Map<String, Object> taskInstanceView() {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("dag_id", ti.dagId());
    view.put("task_id", ti.taskId());
    view.put("run_id", ti.runId());
    view.put("try_number", ti.tryNumber());
    Templates.Method pull =
        (args, kwargs) -> {
          Object taskIds = kwargs.containsKey("task_ids") ? kwargs.get("task_ids") : arg(args, 0);
          Object key = kwargs.getOrDefault("key", io.sluice.api.XCom.RETURN_VALUE);
          if (taskIds == null) taskIds = ti.taskId();
          if (taskIds instanceof java.util.List<?> ids)
            return ids.stream()
                .map(id -> xcomPull(String.valueOf(id), String.valueOf(key), Object.class))
                .map(v -> v.orElse(null))
                .toList();
          return xcomPull(String.valueOf(taskIds), String.valueOf(key), Object.class).orElse(null);
        };
    Templates.Method push =
        (args, kwargs) -> {
          Object key = kwargs.containsKey("key") ? kwargs.get("key") : arg(args, 0);
          Object value = kwargs.containsKey("value") ? kwargs.get("value") : arg(args, 1);
          if (key == null) throw new IllegalArgumentException("ti.xcom_push needs a key");
          xcomPush(String.valueOf(key), value);
          return null;
        };
    view.put("xcom_pull", pull);
    view.put("xcom_push", push);
    return view;
  }

  private static Object arg(java.util.List<Object> args, int i) {
    return i < args.size() ? args.get(i) : null;
  }
}
