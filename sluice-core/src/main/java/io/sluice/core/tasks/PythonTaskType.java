package io.sluice.core.tasks;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.Task;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code type: python}: calls a Python function in a {@code python3} child process (Airflow's
 * PythonOperator). Options: {@code script} (a file, relative to the DAG file) with {@code function}
 * (default {@code main}), or {@code callable: package.module:function} (importable from the DAG
 * folder or {@code PYTHONPATH}); {@code op_kwargs} (a mapping, string values templated); {@code
 * python} (the interpreter, default {@code python3}); {@code env}. The function receives the task
 * context as keyword arguments when it names them or takes {@code **kwargs}: {@code ds}, {@code
 * ts}, {@code logical_date}, {@code data_interval_start}, {@code data_interval_end}, {@code
 * run_id}, {@code dag_id}, {@code task_id}, {@code try_number}, {@code params}, {@code conf},
 * {@code dag_run}. Its return value, printed as JSON on the last line, is the XCom. A non-zero exit
 * (an exception) fails the try, exit 99 skips, as {@code shell} does. A missing interpreter or
 * script is an error when the DAG file is read, so the DAG shows as an import error.
 */
public final class PythonTaskType implements TaskType {
  private static final String RUNNER = runner();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Override
  public String name() {
    return "python";
  }

  @Override
  public Task create(TaskOptions options) {
    String python = options.string("python").orElse("python3");
    String interpreter = interpreter(python).toString();
    var script = options.string("script");
    var callable = options.string("callable");
    if (script.isPresent() == callable.isPresent())
      throw new IllegalArgumentException(
          "a python task needs either 'script' (with 'function') or 'callable:"
              + " package.module:function'");
    Path folder = options.dagFolder().orElse(Path.of("")).toAbsolutePath();
    Map<String, Object> target = new LinkedHashMap<>();
    if (script.isPresent()) {
      Path file = folder.resolve(script.get()).normalize();
      if (!Files.isRegularFile(file))
        throw new IllegalArgumentException("python script " + file + " does not exist");
      target.put("script", file.toString());
      target.put("function", options.string("function").orElse("main"));
    } else {
      String[] parts = callable.get().split(":", 2);
      if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank())
        throw new IllegalArgumentException(
            "callable '" + callable.get() + "' is not of the form package.module:function");
      target.put("module", parts[0]);
      target.put("function", parts[1]);
    }
    return new PythonTask(
        interpreter, target, options.stringMap("op_kwargs"), options.stringMap("env"), folder);
  }

  /** The interpreter's path: {@code python} itself when it names a file, else found on PATH. */
  static Path interpreter(String python) {
    if (python.contains(File.separator)) {
      Path p = Path.of(python);
      if (Files.isExecutable(p)) return p;
    } else {
      for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (dir.isEmpty()) continue;
        Path p = Path.of(dir, python);
        if (Files.isExecutable(p)) return p;
      }
    }
    throw new IllegalArgumentException(
        "python interpreter '"
            + python
            + "' not found (PATH="
            + System.getenv().getOrDefault("PATH", "")
            + "); install Python 3 or set the task's 'python' option to the interpreter's path");
  }

  /** The Python task itself: the interpreter, what to call and with which extra arguments. */
  public record PythonTask(
      String interpreter,
      Map<String, Object> target,
      Map<String, String> opKwargs,
      Map<String, String> env,
      Path dagFolder)
      implements Task {
    @Override
    public Object execute(TaskContext ctx) throws Exception {
      Map<String, Object> job = new LinkedHashMap<>(target);
      job.put("context", context(ctx));
      Map<String, Object> kwargs = new LinkedHashMap<>();
      opKwargs.forEach((k, v) -> kwargs.put(k, ctx.render("op_kwargs." + k, v)));
      job.put("op_kwargs", kwargs);
      ProcessBuilder pb =
          new ProcessBuilder(interpreter, "-c", RUNNER).directory(dagFolder.toFile());
      Map<String, String> e = pb.environment();
      String path = e.get("PYTHONPATH");
      e.put(
          "PYTHONPATH",
          dagFolder + (path == null || path.isEmpty() ? "" : File.pathSeparator + path));
      e.put("PYTHONUNBUFFERED", "1");
      env.forEach((k, v) -> e.put(k, ctx.render("env." + k, v)));
      ctx.log().info("calling {} with {}", target, interpreter);
      String last = TaskProcess.run(pb, JSON.writeValueAsString(job), ctx);
      if (last == null) return null;
      try {
        return JSON.readValue(last, Object.class);
      } catch (JsonProcessingException notJson) {
        return last;
      }
    }

    private static Map<String, Object> context(TaskContext ctx) {
      Map<String, Object> c = new LinkedHashMap<>();
      for (String k :
          new String[] {
            "ds", "ds_nodash", "ts", "logical_date", "data_interval_start", "data_interval_end"
          }) c.put(k, ctx.render("{{ " + k + " }}"));
      c.put("run_id", ctx.runId());
      c.put("dag_id", ctx.dagId());
      c.put("task_id", ctx.taskId());
      c.put("try_number", ctx.tryNumber());
      c.put("params", ctx.params());
      c.put("conf", ctx.conf());
      c.put("dag_run", Map.of("run_id", ctx.runId(), "conf", ctx.conf()));
      return c;
    }
  }

  private static String runner() {
    try (InputStream in = PythonTaskType.class.getResourceAsStream("sluice_python_task.py")) {
      if (in == null) throw new IllegalStateException("sluice_python_task.py is missing");
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
