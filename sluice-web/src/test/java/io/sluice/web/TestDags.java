package io.sluice.web;

import io.sluice.api.Dag;
import java.time.LocalDate;

/** DAGs the web tests run. */
final class TestDags {
  private TestDags() {}

  /** extract >> transform >> load, manual only; each task writes log lines. */
  static Dag etl() {
    Dag.Builder b = Dag.builder("etl").description("extract, transform, load").tags("test");
    var extract =
        b.task(
            "extract",
            ctx -> {
              ctx.log().info("extracting for {}", ctx.params().getOrDefault("city", "nowhere"));
              ctx.log().info("extracted 3 rows");
              return 3;
            });
    var transform =
        b.task(
            "transform",
            extract,
            (ctx, n) -> {
              ctx.log().info("transforming {} rows", n);
              return n * 2;
            });
    var load =
        b.task(
            "load",
            transform,
            (ctx, n) -> {
              ctx.log().info("loaded {} rows", n);
              return null;
            });
    return b.build();
  }

  /** A daily DAG for backfills. */
  static Dag daily() {
    Dag.Builder b =
        Dag.builder("daily").schedule("@daily").startDate(LocalDate.of(2024, 1, 1)).catchup(false);
    b.task("work", ctx -> "done");
    return b.build();
  }
}
