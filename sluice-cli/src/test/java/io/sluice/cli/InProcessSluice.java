package io.sluice.cli;

import io.sluice.cli.SluiceProcess.Result;
import io.sluice.core.config.SluiceConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code sluice} commands as the command line does, in this JVM (a child JVM per command is
 * several seconds on a loaded machine): the configuration is published as {@code sluice up}
 * publishes it, and standard output and error are captured.
 */
public final class InProcessSluice {
  private InProcessSluice() {}

  /** Runs one command under {@code config}. */
  public static synchronized Result run(SluiceConfig config, String... args) {
    SluiceConfig.publish(config);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    int exit;
    try {
      exit = SluiceCommand.execute(args);
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
    }
    return new Result(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Forgets every published value, so that later tests in this JVM load their own. */
  public static void forget() {
    for (String name : System.getProperties().stringPropertyNames())
      if (name.startsWith("sluice.config.")) System.clearProperty(name);
  }
}
