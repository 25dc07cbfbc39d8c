package io.sluice.cli.orchestrator;

import picocli.CommandLine.Command;

/**
 * {@code sluice standalone}: the scheduler and executor in one process, plus every {@link
 * io.sluice.core.service.StandaloneService} on the class path (such as the web server).
 */
@Command(
    name = "standalone",
    mixinStandardHelpOptions = true,
    description =
        "Run the scheduler, the executor and the extra services (web server) in one process.")
public final class StandaloneCommand implements Runnable {
  @Override
  public void run() {
    SchedulerCommand.runUntilStopped(true);
  }
}
