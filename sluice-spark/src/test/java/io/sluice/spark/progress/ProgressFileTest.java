package io.sluice.spark.progress;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressFileTest {
  @Test
  void lagIsTheSumOverPartitionsOfLatestMinusEnd() {
    assertThat(
            ProgressFile.lag(
                "{\"users_created\":{\"0\":10,\"1\":5}}",
                "{\"users_created\":{\"0\":15,\"1\":5,\"2\":3}}"))
        .isEqualTo(8);
  }

  @Test
  void lagIsUnknownWithoutLatestOffsets() {
    assertThat(ProgressFile.lag("{\"t\":{\"0\":1}}", null)).isEqualTo(-1);
  }
}
