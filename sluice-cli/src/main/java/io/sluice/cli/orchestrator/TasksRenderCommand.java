package io.sluice.cli.orchestrator;

import io.sluice.cli.CliException;
import io.sluice.core.service.RenderedFieldsService;
import io.sluice.core.service.TaskInstanceView;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice tasks render}: Airflow's {@code airflow tasks render}, from what a try recorded.
 */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    description = {
      "Print the rendered template of a task instance: each templated option with the value the"
          + " try used, as it recorded them when it ran (secrets masked). The run is named by its"
          + " run id, `latest`, or its logical date."
    })
final class TasksRenderCommand implements Runnable {
  private static final String RULE = "# " + "-".repeat(58);

  @Parameters(index = "0", paramLabel = "DAG")
  String dagId;

  @Parameters(index = "1", paramLabel = "TASK")
  String taskId;

  @Parameters(index = "2", paramLabel = "RUN_OR_DATE", defaultValue = "latest", arity = "0..1")
  String run;

  @Option(names = "--try", description = "Try number (default: the latest that rendered).")
  Integer tryNumber;

  @Override
  public void run() {
    try (Orchestrator o = Orchestrator.open()) {
      TaskInstanceView ti = o.dags.taskInstance(dagId, taskId, run);
      Map<Integer, Map<String, String>> tries =
          new RenderedFieldsService(o.store).tries(dagId, ti.runId(), taskId);
      int t =
          tryNumber != null
              ? tryNumber
              : tries.keySet().stream().mapToInt(Integer::intValue).max().orElse(ti.tryNumber());
      Map<String, String> fields = tries.get(t);
      if (fields == null)
        throw new CliException(
            "try "
                + t
                + " of "
                + taskId
                + " in run "
                + ti.runId()
                + " rendered no template fields; they are recorded when a try runs");
      fields.forEach(
          (name, value) -> {
            System.out.println(RULE);
            System.out.println("# property: " + name);
            System.out.println(RULE);
            System.out.println(value);
            System.out.println();
          });
    }
  }
}
