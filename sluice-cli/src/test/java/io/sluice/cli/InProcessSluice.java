package io.sluice.cli;

import io.sluice.cli.SluiceProcess.Result;
import io.sluice.core.config.SluiceConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs the {@code sluice} command line in this JVM, with stdin, stdout and stderr of its own: the
 * same code a user runs, without a JVM start per command. Commands run one at a time; the
 * configuration is what {@code SluiceConfig.load()} sees in this JVM (publish the stack's first).
 */
public final class InProcessSluice {
  private InProcessSluice() {}

  /** Runs one command with {@code stdin} (null: none). */
  public static synchronized Result run(String stdin, String... args) {
    InputStream in = System.in;
    PrintStream out = System.out;
    PrintStream err = System.err;
    var outBytes = new ByteArrayOutputStream();
    var errBytes = new ByteArrayOutputStream();
    try {
      System.setIn(
          new ByteArrayInputStream(
              stdin == null ? new byte[0] : stdin.getBytes(StandardCharsets.UTF_8)));
      System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
      int exit = SluiceCommand.execute(args);
      System.out.flush();
      System.err.flush();
      return new Result(
          exit,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setIn(in);
      System.setOut(out);
      System.setErr(err);
    }
  }

  /**
   * Publishes {@code config} as {@code sluice up} does, in place of what was published before, then
   * runs one command without stdin.
   */
  public static Result runWith(SluiceConfig config, String... args) {
    forget();
    SluiceConfig.publish(config);
    return run(null, args);
  }

  /** Forgets every published value, so that later tests in this JVM load their own. */
  public static void forget() {
    for (String name : System.getProperties().stringPropertyNames())
      if (name.startsWith("sluice.config.")) System.clearProperty(name);
  }
}
