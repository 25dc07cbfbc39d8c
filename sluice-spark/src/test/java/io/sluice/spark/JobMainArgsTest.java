package io.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class JobMainArgsTest {
  @Test
  void datesAreWholeUtcDaysWithAnInclusiveEnd() {
    var args = JobMain.Args.parse("weather", "--from", "2024-01-01", "--to", "2024-01-31");
    assertThat(args.from()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    assertThat(args.to()).isEqualTo(Instant.parse("2024-02-01T00:00:00Z"));
  }

  @Test
  void fromAndToGoTogether() {
    assertThatThrownBy(() -> JobMain.Args.parse("users", "--from", "2024-01-01"))
        .hasMessageContaining("--from and --to go together");
  }

  @Test
  void availableNowAndMaster() {
    var args = JobMain.Args.parse("users", "--available-now", "--master", "local[2]");
    assertThat(args.availableNow()).isTrue();
    assertThat(args.master()).isEqualTo("local[2]");
  }

  @Test
  void severalJobsRunUntilStoppedOnly() {
    assertThat(JobMain.Args.parse("users,weather").jobs()).containsExactly("users", "weather");
    assertThatThrownBy(() -> JobMain.Args.parse("users,weather", "--available-now"))
        .hasMessageContaining("a bounded run runs one job");
  }
}
