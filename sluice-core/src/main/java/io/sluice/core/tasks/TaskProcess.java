package io.sluice.core.tasks;

import io.sluice.api.TaskContext;
import io.sluice.api.TaskSkippedException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs a task's child process on the task's thread: its output (stdout and stderr) goes to the task
 * log, exit code 0 succeeds, {@value #SKIP_EXIT_CODE} skips and anything else fails the try.
 * Interrupting the thread (timeout, clear) kills the process and its children.
 */
final class TaskProcess {
  /** The exit code that marks a task skipped, as Airflow's BashOperator has it. */
  static final int SKIP_EXIT_CODE = 99;

  private TaskProcess() {}

  /** Starts {@code pb}, writes {@code stdin} (null: none) to it and returns its last line. */
  static String run(ProcessBuilder pb, String stdin, TaskContext ctx)
      throws IOException, InterruptedException {
    Process p = pb.redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      // why: a process that exits before reading its input closes the pipe; its exit code says why
    }
    String last = null;
    try (var reader =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        ctx.log().line(line);
        last = line;
      }
      int code = p.waitFor();
      ctx.log().info("command exited with code {}", code);
      if (code == SKIP_EXIT_CODE)
        throw new TaskSkippedException("command exited with code " + SKIP_EXIT_CODE);
      if (code != 0)
        throw new ShellTaskType.ShellFailedException("command exited with code " + code);
      return last;
    } catch (InterruptedException ie) {
      kill(p);
      throw ie;
    } finally {
      if (p.isAlive()) kill(p);
    }
  }

  private static void kill(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }
}
