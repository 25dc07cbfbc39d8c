package io.sluice.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@code sluice} command as a user does, in its own JVM, with an environment and optional
 * stdin; its output goes to files under a working directory.
 */
public final class SluiceProcess {
  /** What one command printed and its exit code. */
  public record Result(int exit, String out, String err) {
    public List<String> lines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
    }
  }

  private final Path workDir;
  private final Map<String, String> env = new LinkedHashMap<>();

  public SluiceProcess(Path workDir) {
    this.workDir = workDir;
  }

  /** Sets an environment variable of every following command. */
  public SluiceProcess env(String name, String value) {
    env.put(name, value);
    return this;
  }

  public Result run(String... args) throws Exception {
    return run(Map.of(), null, args);
  }

  /** Runs one command with {@code stdin} (null: none) and extra environment variables. */
  public Result run(Map<String, String> extraEnv, String stdin, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(SluiceCommand.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().remove("SLUICE_DB_URL");
    pb.environment().putAll(env);
    pb.environment().putAll(extraEnv);
    Files.createDirectories(workDir);
    Path out = Files.createTempFile(workDir, "out", ".txt");
    Path err = Files.createTempFile(workDir, "err", ".txt");
    pb.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = pb.start();
    try (OutputStream in = p.getOutputStream()) {
      if (stdin != null) in.write(stdin.getBytes(StandardCharsets.UTF_8));
    }
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("sluice " + String.join(" ", args) + " did not finish");
    }
    return new Result(p.exitValue(), read(out), read(err));
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8);
  }
}
