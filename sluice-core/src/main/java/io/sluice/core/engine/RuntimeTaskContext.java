package io.sluice.core.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import io.sluice.api.Connection;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskLog;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.RunType;
import io.sluice.core.model.TaskInstance;
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
  public String render(String template) {
    if (templateContext == null) templateContext = templateContext();
    return Templates.render(template, templateContext);
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
    Templates.Lookup value = k -> variable(k).orElse(null);
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
    Templates.Lookup conn = k -> connection(k).orElse(null);
    c.put("conn", conn);
    return c;
  }
}
