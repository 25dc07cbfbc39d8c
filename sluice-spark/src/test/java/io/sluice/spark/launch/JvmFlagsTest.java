package io.sluice.spark.launch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.spark.launcher.JavaModuleOptions;
import org.junit.jupiter.api.Test;

class JvmFlagsTest {
  @Test
  void matchesTheOptionsSparksOwnLauncherSets() {
    assertThat(JvmFlags.SPARK_MODULE_OPTIONS)
        .containsExactlyInAnyOrderElementsOf(List.of(JavaModuleOptions.defaultModuleOptionArray()));
  }

  @Test
  void theJobClasspathListsSparkAndTheConnectors() throws Exception {
    String cp = SparkJobProcess.classpath();
    assertThat(cp).contains("spark-sql_2.13").contains("hadoop-aws").contains("java-driver-core");
  }
}
