package io.sluice.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dag;
import io.sluice.core.model.DagRun;
import io.sluice.core.service.RenderedFieldsService;
import io.sluice.core.testing.DagTestKit;
import io.sluice.core.testing.TestScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DagTestKit.class)
class RenderedFieldsTest {
  static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void eachTryRecordsWhatItRenderedWithSecretsMasked(TestScheduler<?> kit) {
    kit.store()
        .inTransaction(
            tx -> {
              tx.setVariable("api_key", "k-123-secret", null);
              tx.setVariable("city", "Berlin", null);
              return null;
            });
    Dag.Builder b = Dag.builder("weather");
    b.task(
            "fetch",
            ctx -> {
              ctx.render(
                  "url",
                  "https://api.test/v1?city={{ var.value.city }}&day={{ ds }}"
                      + "&key={{ var.value.api_key }}");
              ctx.render("env.TRY", "{{ try_number }}");
              ctx.render("not recorded: {{ ds }}");
              ctx.render("sql", "x".repeat(5000));
              if (ctx.tryNumber() == 1) throw new IllegalStateException("first try fails");
              return null;
            })
        .retries(1, Duration.ofSeconds(1));
    kit.scheduler().dagBag().add(b.build());
    DagRun run = kit.trigger("weather");
    kit.advance(Duration.ofSeconds(5));

    RenderedFieldsService service = new RenderedFieldsService(kit.store());
    Map<Integer, Map<String, String>> tries = service.tries("weather", run.runId(), "fetch");
    assertThat(tries).containsOnlyKeys(1, 2);
    assertThat(tries.get(1).keySet()).containsExactly("url", "env.TRY", "sql");
    assertThat(tries.get(1))
        .containsEntry("url", "https://api.test/v1?city=Berlin&day=2024-01-01&key=***")
        .containsEntry("env.TRY", "1");
    assertThat(tries.get(1).get("sql"))
        .hasSize(RenderedFieldsRecorder.MAX_LENGTH + RenderedFieldsRecorder.TRUNCATED.length())
        .endsWith(RenderedFieldsRecorder.TRUNCATED);
    assertThat(tries.get(2)).containsEntry("env.TRY", "2");
    var ti = kit.taskInstance("weather", run.runId(), "fetch");
    assertThat(RenderedFieldsService.current(ti, service.ofRun("weather", run.runId())))
        .isEqualTo(tries.get(2));
  }
}
