package io.sluice.web;

import io.sluice.api.Dag;
import io.sluice.api.InvalidParamException;
import io.sluice.api.Param;
import java.time.Duration;
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

  /** A daily DAG whose one task takes a minute of the kit's virtual time. */
  static Dag slowDaily() {
    Dag.Builder b =
        Dag.builder("slow_daily")
            .schedule("@daily")
            .startDate(LocalDate.of(2024, 1, 1))
            .catchup(false);
    b.task(
        "work",
        ctx -> {
          ctx.sleep(Duration.ofMinutes(1));
          return "done";
        });
    return b.build();
  }

  /** Manual, with typed params: a date range that must run forwards, and a bounded count. */
  static Dag ranged() {
    Dag.Builder b =
        Dag.builder("ranged")
            .param(Param.date("start_date").defaultValue("2024-01-01").build())
            .param(Param.date("end_date").defaultValue("2024-01-07").build())
            .param(Param.integer("count").defaultValue(10).minimum(1).maximum(100).build())
            .paramCheck(
                (params, now) -> {
                  if (params
                          .get("end_date")
                          .toString()
                          .compareTo(params.get("start_date").toString())
                      < 0) throw new InvalidParamException("end_date", "is before start_date");
                });
    b.task("work", ctx -> ctx.params().get("count"));
    return b.build();
  }
}
