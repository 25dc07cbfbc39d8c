package io.sluice.core.engine;

import io.sluice.api.TaskState;
import io.sluice.api.TriggerRule;
import java.util.Collection;

/** Decides a waiting task's fate from its direct upstream states, as Airflow's TriggerRuleDep. */
public final class TriggerRules {
  /** What happens to a task in state none. */
  public enum Decision {
    WAIT,
    RUN,
    SKIP,
    UPSTREAM_FAILED
  }

  private TriggerRules() {}

  public static Decision evaluate(TriggerRule rule, Collection<TaskState> upstream) {
    int total = upstream.size();
    if (total == 0 || rule == TriggerRule.ALWAYS) return Decision.RUN;
    int success = 0, skipped = 0, failed = 0, upstreamFailed = 0, done = 0;
    for (TaskState s : upstream) {
      switch (s) {
        case SUCCESS -> success++;
        case SKIPPED -> skipped++;
        case FAILED -> failed++;
        case UPSTREAM_FAILED -> upstreamFailed++;
        default -> {}
      }
      if (s.isFinished()) done++;
    }
    boolean allDone = done == total;
    int failures = failed + upstreamFailed;
    return switch (rule) {
      case ALL_SUCCESS -> {
        if (failures > 0) yield Decision.UPSTREAM_FAILED;
        if (skipped > 0) yield Decision.SKIP;
        yield success == total ? Decision.RUN : Decision.WAIT;
      }
      case ALL_FAILED -> {
        if (success > 0 || skipped > 0) yield Decision.SKIP;
        yield failures == total ? Decision.RUN : Decision.WAIT;
      }
      case ALL_DONE -> allDone ? Decision.RUN : Decision.WAIT;
      case ALL_SKIPPED -> {
        if (success > 0 || failures > 0) yield Decision.SKIP;
        yield skipped == total ? Decision.RUN : Decision.WAIT;
      }
      case ONE_SUCCESS -> {
        if (success > 0) yield Decision.RUN;
        if (!allDone) yield Decision.WAIT;
        yield skipped == total ? Decision.SKIP : Decision.UPSTREAM_FAILED;
      }
      case ONE_FAILED -> {
        if (failures > 0) yield Decision.RUN;
        yield allDone ? Decision.SKIP : Decision.WAIT;
      }
      case ONE_DONE -> {
        if (success > 0 || failed > 0) yield Decision.RUN;
        yield allDone ? Decision.SKIP : Decision.WAIT;
      }
      case NONE_FAILED -> {
        if (failures > 0) yield Decision.UPSTREAM_FAILED;
        yield allDone ? Decision.RUN : Decision.WAIT;
      }
      case NONE_FAILED_MIN_ONE_SUCCESS -> {
        if (failures > 0) yield Decision.UPSTREAM_FAILED;
        if (!allDone) yield Decision.WAIT;
        yield skipped == total ? Decision.SKIP : Decision.RUN;
      }
      case NONE_SKIPPED -> {
        if (skipped > 0) yield Decision.SKIP;
        yield allDone ? Decision.RUN : Decision.WAIT;
      }
      case ALWAYS -> Decision.RUN;
    };
  }
}
