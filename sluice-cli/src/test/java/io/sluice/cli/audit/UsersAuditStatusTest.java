package io.sluice.cli.audit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cli.audit.UsersAudit.Status;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UsersAuditStatusTest {
  static final Instant ENDED = Instant.parse("2024-01-01T00:01:00Z");
  static final Duration IN_FLIGHT = Duration.ofSeconds(60);

  static UsersAudit.Line line(long cassandra, Long parquet, Instant endedAt) {
    return new UsersAudit.Line(
        "user_automation", "r", ENDED, 100, 100, 0, cassandra, parquet, 0, endedAt);
  }

  @Test
  void anImbalanceIsPendingWhileTheRunsRowsMayBeInFlight() {
    UsersAudit.Line lakeBehind = line(100, 40L, ENDED);
    assertThat(lakeBehind.status(ENDED.plusSeconds(10), IN_FLIGHT)).isEqualTo(Status.PENDING);
    assertThat(lakeBehind.status(ENDED.plusSeconds(59), IN_FLIGHT)).isEqualTo(Status.PENDING);
    assertThat(lakeBehind.status(ENDED.plusSeconds(60), IN_FLIGHT)).isEqualTo(Status.IMBALANCE);
    assertThat(line(100, 40L, null).status(ENDED.plusSeconds(3600), IN_FLIGHT))
        .as("a run still running")
        .isEqualTo(Status.PENDING);
  }

  @Test
  void aBalancedRunIsOkAtOnceAndLabelsAreAsPrinted() {
    assertThat(line(100, 100L, ENDED).status(ENDED, IN_FLIGHT)).isEqualTo(Status.OK);
    assertThat(line(100, null, null).status(ENDED, IN_FLIGHT)).isEqualTo(Status.OK);
    assertThat(Status.OK.label()).isEqualTo("ok");
    assertThat(Status.PENDING.label()).isEqualTo("pending");
    assertThat(Status.IMBALANCE.label()).isEqualTo("IMBALANCE");
  }
}
