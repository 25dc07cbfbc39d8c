package io.sluice.core.yaml;

import io.sluice.api.Dag;
import io.sluice.api.DagDefinitionException;
import io.sluice.api.Task;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskRef;
import io.sluice.api.TaskType;
import io.sluice.api.TriggerRule;
import io.sluice.core.params.ParamSpecs;
import io.sluice.core.tasks.TaskTypeRegistry;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Reads one YAML DAG file into a {@link Dag}. Every problem is a {@link DagFileException} naming
 * the file, the line and what is wrong.
 *
 * <pre>{@code
 * dag_id: chain
 * schedule: "@daily"
 * start_date: 2024-01-01
 * catchup: false
 * tasks:
 *   - id: extract
 *     type: shell
 *     command: "echo {{ ds }}"
 *   - id: load
 *     type: noop
 *     depends_on: [extract]
 * }</pre>
 */
public final class YamlDagLoader {
  private static final Set<String> DAG_KEYS =
      Set.of(
          "dag_id",
          "description",
          "schedule",
          "schedule_interval",
          "timezone",
          "start_date",
          "end_date",
          "catchup",
          "max_active_runs",
          "max_active_tasks",
          "params",
          "tags",
          "default_args",
          "tasks");
  private static final Set<String> SCHEDULING_KEYS =
      Set.of(
          "id",
          "task_id",
          "type",
          "depends_on",
          "retries",
          "retry_delay",
          "retry_exponential_backoff",
          "max_retry_delay",
          "execution_timeout",
          "trigger_rule",
          "pool",
          "pool_slots",
          "priority_weight",
          "depends_on_past");

  private final TaskTypeRegistry types;

  public YamlDagLoader(TaskTypeRegistry types) {
    this.types = types;
  }

  public Dag load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new DagFileException(file.toString(), 0, "cannot read: " + e.getMessage());
    }
    return load(file.toString(), new StringReader(text));
  }

  public Dag load(String fileName, Reader reader) {
    Node root;
    try {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).compose(reader);
    } catch (MarkedYAMLException e) {
      int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
      throw new DagFileException(fileName, line, "invalid YAML: " + e.getProblem());
    } catch (RuntimeException e) {
      throw new DagFileException(fileName, 0, "invalid YAML: " + e.getMessage());
    }
    return new FileParser(fileName).parse(root);
  }

  private final class FileParser extends YamlNodes {
    private final String file;
    private final Path folder;

    FileParser(String file) {
      super(file);
      this.file = file;
      this.folder = Path.of(file).toAbsolutePath().getParent();
    }

    Dag parse(Node root) {
      if (!(root instanceof MappingNode map))
        throw error(root, "expected a mapping with dag_id and tasks");
      Map<String, NodeTuple> keys = keys(map);
      for (var e : keys.entrySet())
        if (!DAG_KEYS.contains(e.getKey()))
          throw error(
              e.getValue().getKeyNode(),
              "unknown key '"
                  + e.getKey()
                  + "'; expected one of "
                  + new java.util.TreeSet<>(DAG_KEYS));
      String dagId = requiredScalar(keys, "dag_id", map);
      Dag.Builder b;
      try {
        b = Dag.builder(dagId).source(file);
      } catch (DagDefinitionException e) {
        throw error(keys.get("dag_id").getValueNode(), e.getMessage());
      }
      ZoneId zone = ZoneOffset.UTC;
      if (keys.containsKey("timezone")) {
        Node n = keys.get("timezone").getValueNode();
        try {
          zone = ZoneId.of(scalar(n));
        } catch (RuntimeException e) {
          throw error(n, "unknown time zone '" + scalar(n) + "'");
        }
        b.timezone(zone);
      }
      NodeTuple schedule =
          keys.containsKey("schedule") ? keys.get("schedule") : keys.get("schedule_interval");
      if (schedule != null) {
        String s = nullableScalar(schedule.getValueNode());
        try {
          io.sluice.core.schedule.Timetables.parse(s, zone);
        } catch (IllegalArgumentException e) {
          throw error(schedule.getValueNode(), e.getMessage());
        }
        b.schedule(s);
      }
      if (keys.containsKey("start_date"))
        b.startDate(instant(keys.get("start_date").getValueNode(), zone));
      if (keys.containsKey("end_date"))
        b.endDate(instant(keys.get("end_date").getValueNode(), zone));
      if (keys.containsKey("description"))
        b.description(scalar(keys.get("description").getValueNode()));
      if (keys.containsKey("catchup")) b.catchup(bool(keys.get("catchup").getValueNode()));
      if (keys.containsKey("max_active_runs"))
        b.maxActiveRuns(positive(keys.get("max_active_runs").getValueNode()));
      if (keys.containsKey("max_active_tasks"))
        b.maxActiveTasks(positive(keys.get("max_active_tasks").getValueNode()));
      if (keys.containsKey("tags")) {
        Object tags = toJava(keys.get("tags").getValueNode());
        if (!(tags instanceof List<?> l))
          throw error(keys.get("tags").getValueNode(), "tags must be a list");
        b.tags(l.stream().map(String::valueOf).toArray(String[]::new));
      }
      if (keys.containsKey("params")) {
        Object params = toJava(keys.get("params").getValueNode());
        if (!(params instanceof Map<?, ?> m))
          throw error(keys.get("params").getValueNode(), "params must be a mapping");
        for (var p : m.entrySet()) {
          try {
            b.param(ParamSpecs.fromYaml(String.valueOf(p.getKey()), p.getValue()));
          } catch (IllegalArgumentException ex) {
            throw error(keys.get("params").getValueNode(), ex.getMessage());
          }
        }
      }
      Map<String, NodeTuple> defaults = Map.of();
      if (keys.containsKey("default_args")) {
        Node d = keys.get("default_args").getValueNode();
        if (!(d instanceof MappingNode dm)) throw error(d, "default_args must be a mapping");
        defaults = keys(dm);
      }
      NodeTuple tasksTuple = keys.get("tasks");
      if (tasksTuple == null) throw error(map, "missing key 'tasks'");
      if (!(tasksTuple.getValueNode() instanceof SequenceNode tasks))
        throw error(tasksTuple.getValueNode(), "tasks must be a list");

      Map<String, Node> taskLines = new HashMap<>();
      List<Map.Entry<TaskRef<?>, Map<String, NodeTuple>>> refs = new ArrayList<>();
      for (Node tn : tasks.getValue()) {
        if (!(tn instanceof MappingNode tm))
          throw error(tn, "each task must be a mapping with id and type");
        Map<String, NodeTuple> tk = new LinkedHashMap<>(defaults);
        tk.putAll(keys(tm));
        String id = tk.containsKey("id") ? scalar(tk.get("id").getValueNode()) : null;
        if (id == null && tk.containsKey("task_id")) id = scalar(tk.get("task_id").getValueNode());
        if (id == null) throw error(tm, "task without 'id'");
        if (taskLines.containsKey(id))
          throw error(
              tm,
              "duplicate task id '"
                  + id
                  + "' (first defined on line "
                  + (taskLines.get(id).getStartMark().getLine() + 1)
                  + ")");
        taskLines.put(id, tm);
        if (!tk.containsKey("type")) throw error(tm, "task '" + id + "' has no 'type'");
        Node typeNode = tk.get("type").getValueNode();
        String typeName = scalar(typeNode);
        TaskType type =
            types
                .find(typeName)
                .orElseThrow(
                    () ->
                        error(
                            typeNode,
                            "unknown task type '" + typeName + "'; known types: " + types.names()));
        Map<String, Object> options = new LinkedHashMap<>();
        for (var e : tk.entrySet())
          if (!SCHEDULING_KEYS.contains(e.getKey()))
            options.put(e.getKey(), toJava(e.getValue().getValueNode()));
        String taskId = id;
        Task task;
        try {
          task = type.create(new Options(taskId, options, folder));
        } catch (RuntimeException e) {
          throw error(tm, "task '" + taskId + "': " + e.getMessage());
        }
        TaskRef<?> ref = b.task(taskId, task);
        applyScheduling(ref, tk);
        refs.add(Map.entry(ref, tk));
      }
      for (var r : refs) {
        NodeTuple deps = r.getValue().get("depends_on");
        if (deps == null) continue;
        Object v = toJava(deps.getValueNode());
        List<?> list = v instanceof List<?> l ? l : List.of(v);
        for (Object d : list) {
          String dep = String.valueOf(d);
          if (!taskLines.containsKey(dep))
            throw error(
                deps.getValueNode(),
                "task '" + r.getKey().taskId() + "' depends on unknown task '" + dep + "'");
          r.getKey().after(dep);
        }
      }
      try {
        return b.build();
      } catch (DagDefinitionException e) {
        Node at = map;
        for (var t : taskLines.entrySet())
          if (e.getMessage().contains("'" + t.getKey() + "'")
              || e.getMessage().contains(" " + t.getKey() + " ")) {
            at = t.getValue();
            break;
          }
        throw error(at, e.getMessage());
      }
    }

    private void applyScheduling(TaskRef<?> ref, Map<String, NodeTuple> tk) {
      if (tk.containsKey("retries")) ref.retries(nonNegative(tk.get("retries").getValueNode()));
      if (tk.containsKey("retry_delay"))
        ref.retries(retriesOf(tk), duration(tk.get("retry_delay").getValueNode()));
      if (tk.containsKey("retry_exponential_backoff")
          && bool(tk.get("retry_exponential_backoff").getValueNode()))
        ref.retryExponentialBackoff(
            tk.containsKey("max_retry_delay")
                ? duration(tk.get("max_retry_delay").getValueNode())
                : null);
      if (tk.containsKey("execution_timeout"))
        ref.executionTimeout(duration(tk.get("execution_timeout").getValueNode()));
      if (tk.containsKey("trigger_rule")) {
        Node n = tk.get("trigger_rule").getValueNode();
        try {
          ref.triggerRule(TriggerRule.parse(scalar(n)));
        } catch (IllegalArgumentException e) {
          throw error(n, e.getMessage());
        }
      }
      if (tk.containsKey("pool"))
        ref.pool(
            scalar(tk.get("pool").getValueNode()),
            tk.containsKey("pool_slots") ? positive(tk.get("pool_slots").getValueNode()) : 1);
      if (tk.containsKey("priority_weight"))
        ref.priorityWeight(integer(tk.get("priority_weight").getValueNode()));
      if (tk.containsKey("depends_on_past"))
        ref.dependsOnPast(bool(tk.get("depends_on_past").getValueNode()));
    }

    private int retriesOf(Map<String, NodeTuple> tk) {
      return tk.containsKey("retries") ? nonNegative(tk.get("retries").getValueNode()) : 0;
    }
  }

  private record Options(String taskId, Map<String, Object> all, Path folder)
      implements TaskOptions {
    @Override
    public Optional<Path> dagFolder() {
      return Optional.ofNullable(folder);
    }
  }
}
