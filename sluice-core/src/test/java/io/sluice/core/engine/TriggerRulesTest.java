package io.sluice.core.engine;

import static io.sluice.api.TaskState.*;
import static io.sluice.core.engine.TriggerRules.Decision.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.TriggerRule;
import java.util.List;
import org.junit.jupiter.api.Test;

class TriggerRulesTest {
  @Test
  void allSuccessWaitsThenRunsAndPropagatesFailuresAndSkips() {
    assertThat(TriggerRules.evaluate(TriggerRule.ALL_SUCCESS, List.of(SUCCESS, RUNNING)))
        .isEqualTo(WAIT);
    assertThat(TriggerRules.evaluate(TriggerRule.ALL_SUCCESS, List.of(SUCCESS, SUCCESS)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.evaluate(TriggerRule.ALL_SUCCESS, List.of(FAILED, RUNNING)))
        .isEqualTo(TriggerRules.Decision.UPSTREAM_FAILED);
    assertThat(TriggerRules.evaluate(TriggerRule.ALL_SUCCESS, List.of(SKIPPED, SUCCESS)))
        .isEqualTo(SKIP);
  }

  @Test
  void everyRuleResolvesAsAirflowDoes() {
    assertThat(
            TriggerRules.evaluate(
                TriggerRule.ALL_FAILED, List.of(FAILED, TaskStateUpstreamFailed())))
        .isEqualTo(RUN);
    assertThat(TriggerRules.evaluate(TriggerRule.ALL_FAILED, List.of(FAILED, SUCCESS)))
        .isEqualTo(SKIP);
    assertThat(TriggerRules.evaluate(TriggerRule.ALL_DONE, List.of(FAILED, SKIPPED, SUCCESS)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.evaluate(TriggerRule.ALL_DONE, List.of(FAILED, UP_FOR_RETRY)))
        .isEqualTo(WAIT);
    assertThat(TriggerRules.evaluate(TriggerRule.ALL_SKIPPED, List.of(SKIPPED, SKIPPED)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.evaluate(TriggerRule.ALL_SKIPPED, List.of(SKIPPED, SUCCESS)))
        .isEqualTo(SKIP);
    assertThat(TriggerRules.evaluate(TriggerRule.ONE_SUCCESS, List.of(SUCCESS, RUNNING)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.evaluate(TriggerRule.ONE_SUCCESS, List.of(FAILED, SKIPPED)))
        .isEqualTo(TriggerRules.Decision.UPSTREAM_FAILED);
    assertThat(TriggerRules.evaluate(TriggerRule.ONE_SUCCESS, List.of(SKIPPED, SKIPPED)))
        .isEqualTo(SKIP);
    assertThat(TriggerRules.evaluate(TriggerRule.ONE_FAILED, List.of(FAILED, RUNNING)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.evaluate(TriggerRule.ONE_FAILED, List.of(SUCCESS, SUCCESS)))
        .isEqualTo(SKIP);
    assertThat(TriggerRules.evaluate(TriggerRule.ONE_DONE, List.of(FAILED, RUNNING)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.evaluate(TriggerRule.ONE_DONE, List.of(SKIPPED, SKIPPED)))
        .isEqualTo(SKIP);
    assertThat(TriggerRules.evaluate(TriggerRule.NONE_FAILED, List.of(SKIPPED, SUCCESS)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.evaluate(TriggerRule.NONE_FAILED, List.of(FAILED, SUCCESS)))
        .isEqualTo(TriggerRules.Decision.UPSTREAM_FAILED);
    assertThat(
            TriggerRules.evaluate(
                TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, List.of(SKIPPED, SUCCESS)))
        .isEqualTo(RUN);
    assertThat(
            TriggerRules.evaluate(
                TriggerRule.NONE_FAILED_MIN_ONE_SUCCESS, List.of(SKIPPED, SKIPPED)))
        .isEqualTo(SKIP);
    assertThat(TriggerRules.evaluate(TriggerRule.NONE_SKIPPED, List.of(FAILED, SUCCESS)))
        .isEqualTo(RUN);
    assertThat(TriggerRules.evaluate(TriggerRule.NONE_SKIPPED, List.of(SKIPPED, SUCCESS)))
        .isEqualTo(SKIP);
    assertThat(TriggerRules.evaluate(TriggerRule.ALWAYS, List.of(RUNNING))).isEqualTo(RUN);
  }

  private static io.sluice.api.TaskState TaskStateUpstreamFailed() {
    return io.sluice.api.TaskState.UPSTREAM_FAILED;
  }
}
