package io.sluice.core.tasks;

import io.sluice.api.Task;
import io.sluice.api.TaskContext;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code type: shell}: runs {@code command} with {@code bash -c} (Airflow's BashOperator). Options:
 * {@code command} (templated), {@code env} (a mapping, values templated), {@code cwd}. Output goes
 * to the task log; the last line becomes the XCom. Exit code 0 succeeds, 99 skips, anything else
 * fails the try. Interrupting the task (timeout, clear) kills the process and its children.
 */
public final class ShellTaskType implements TaskType {
  public static final int SKIP_EXIT_CODE = TaskProcess.SKIP_EXIT_CODE;

  @Override
  public String name() {
    return "shell";
  }

  @Override
  public Task create(TaskOptions options) {
    String command = options.required("command");
    Map<String, String> env = options.stringMap("env");
    String cwd = options.string("cwd").orElse(null);
    return new ShellTask(command, env, cwd);
  }

  /** The shell task itself; usable from the Java DSL too. */
  public record ShellTask(String command, Map<String, String> env, String cwd) implements Task {
    @Override
    public Object execute(TaskContext ctx) throws Exception {
      String rendered = ctx.render("command", command);
      ProcessBuilder pb = new ProcessBuilder(shell(), "-c", rendered);
      if (cwd != null) pb.directory(Path.of(ctx.render("cwd", cwd)).toFile());
      Map<String, String> e = pb.environment();
      e.put("SLUICE_CTX_DAG_ID", ctx.dagId());
      e.put("SLUICE_CTX_TASK_ID", ctx.taskId());
      e.put("SLUICE_CTX_RUN_ID", ctx.runId());
      e.put("SLUICE_CTX_LOGICAL_DATE", ctx.logicalDate().toString());
      e.put("SLUICE_CTX_TRY_NUMBER", Integer.toString(ctx.tryNumber()));
      env.forEach((k, v) -> e.put(k, ctx.render("env." + k, v)));
      ctx.log().info("running command: {}", rendered);
      return TaskProcess.run(pb, null, ctx);
    }

    private static String shell() {
      return Files.isExecutable(Path.of("/bin/bash")) ? "/bin/bash" : "/bin/sh";
    }
  }

  /** A non-zero exit code; retried while tries are left. */
  public static final class ShellFailedException extends RuntimeException {
    public ShellFailedException(String message) {
      super(message);
    }
  }
}
