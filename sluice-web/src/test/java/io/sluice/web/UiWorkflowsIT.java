package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.model.DagRun;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.store.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A day's work in the web UI without the CLI, in one real headless Chromium: add and test a
 * connection, trigger through the form built from a DAG's typed params (a bad value refused in the
 * page, then by the server beside the field), read a task's rendered template, mark a task failed,
 * delete a run, replay a dead letter, and a header that fits a phone.
 */
@SluiceStackTest(services = Service.KAFKA)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class UiWorkflowsIT {
  private static final String PASSWORD = "ui-workflows-pw";
  private static final String TYPED = "typed_report";

  static WebFixture.OnStack server;
  static Browser browser;
  static JdbcStore store;
  static WebServer web;
  static String base;
  static SluiceConfig config;
  static String kafka;
  static WebDriver driver;

  @BeforeAll
  static void start(LocalStack stack) throws Exception {
    assumeTrue(Browser.installed(), Browser.NO_CHROMIUM);
    server =
        WebFixture.OnStack.start(
            stack,
            PASSWORD,
            Map.of(
                TYPED + ".yaml",
                """
        dag_id: typed_report
        schedule: null
        start_date: 2024-01-01
        tags: [reports]
        params:
          day: {type: date, default: "2024-01-01", required: true}
          count: {type: integer, default: 10, minimum: 1, maximum: 100}
          mode: {type: enum, enum: [fast, full], default: fast}
        tasks:
          - id: report
            type: shell
            command: "echo count={{ params.count }}"
        """,
                "city_weather.yaml",
                """
        dag_id: city_weather
        schedule: null
        start_date: 2024-01-01
        tags: [weather]
        params:
          city: {type: string, default: Lisbon}
        tasks:
          - id: fetch
            type: shell
            command: "echo weather"
        """,
                "nightly.yaml",
                """
        dag_id: nightly
        schedule: "@daily"
        start_date: 2024-01-01
        catchup: false
        tasks:
          - id: load
            type: shell
            command: "sleep 1; echo loaded"
        """));
    config = server.config;
    kafka = stack.kafkaBootstrap();
    store = server.store;
    web = server.web;
    base = server.base;
    browser = server.browser("admin", PASSWORD, 1440, 900);
    driver = browser.driver;
  }

  @AfterAll
  static void stop() {
    if (browser != null) browser.close();
    if (server != null) server.close();
  }

  private static WebDriverWait waitUpTo(int seconds) {
    return browser.waitUpTo(seconds);
  }

  private static WebElement visible(By by) {
    return browser.visible(by);
  }

  private static void open(String hash) {
    browser.go(hash);
  }

  private static void confirm() {
    browser.confirm();
  }

  /**
   * Saves what the browser shows to target/screenshots/ui-{name}.png (docs/ shows some of them).
   */
  private static void screenshot(String name) throws Exception {
    browser.screenshot("ui-" + name);
  }

  private static long endOffset(String topic) {
    Properties p = new Properties();
    p.put("bootstrap.servers", kafka);
    try (var c =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            p,
            new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
            new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      var tp = new org.apache.kafka.common.TopicPartition(topic, 0);
      return c.endOffsets(List.of(tp)).get(tp);
    }
  }

  /** Sends a request as admin with HTTP Basic, as a script would; returns the body. */
  private static String asAdmin(String method, String path, String body) throws Exception {
    var r = server.send(method, path, "admin", PASSWORD, body);
    assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isBetween(200, 299);
    return r.body();
  }

  /** GETs a path as the viewer with HTTP Basic, as a script would. */
  private static String asViewer(String path) throws Exception {
    var r = server.send("GET", path, "viewer", WebFixture.VIEWER_PASSWORD, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  private static String bannerText() {
    return visible(By.id("banner-text")).getText();
  }

  private static List<DagRun> runs(String dagId) {
    return store.inTransaction(tx -> tx.runs(dagId, 10));
  }

  @Test
  @Order(1)
  void aConnectionIsAddedWithItsPasswordMaskedAndTested() throws Exception {
    open("#/dags");
    visible(By.id("nav-connections")).click();
    visible(By.id("conn-add")).click();
    visible(By.id("conn-connection_id")).sendKeys("ui_http");
    driver.findElement(By.id("conn-conn_type")).sendKeys("http");
    driver.findElement(By.id("conn-host")).sendKeys("127.0.0.1");
    driver.findElement(By.id("conn-port")).sendKeys(String.valueOf(web.port()));
    driver.findElement(By.id("conn-password")).sendKeys("s3cret-pw");
    driver.findElement(By.id("conn-save")).click();
    WebElement row = visible(By.cssSelector("tr[data-conn-id='ui_http']"));
    assertThat(row.findElement(By.cssSelector("td.secret")).getText()).isEqualTo("***");
    assertThat(driver.getPageSource()).doesNotContain("s3cret-pw");
    row.findElement(By.cssSelector("button[data-action='test']")).click();
    waitUpTo(10)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("banner-text"), "successfully tested"));
    assertThat(driver.findElement(By.id("banner")).getAttribute("class")).contains("ok");
    screenshot("connections");
  }

  @Test
  @Order(2)
  void triggerFormIsBuiltFromTypedParamsAndShowsTheServersRefusalBesideTheField() throws Exception {
    open("#/dags");
    WebElement search = visible(By.id("dag-search"));
    search.sendKeys("typed");
    waitUpTo(10)
        .until(d -> d.findElements(By.cssSelector("#dag-table tr[data-dag-id]")).size() == 1);
    assertThat(driver.findElement(By.id("dag-page-info")).getText()).isEqualTo("1–1 of 1");
    driver.findElement(By.cssSelector("button.trigger[data-dag-id='" + TYPED + "']")).click();

    WebElement count = visible(By.id("param-count"));
    assertThat(count.getAttribute("value")).isEqualTo("10");
    assertThat(driver.findElement(By.id("param-day")).getAttribute("value"))
        .isEqualTo("2024-01-01");
    assertThat(driver.findElement(By.cssSelector("#param-mode option:checked")).getText())
        .isEqualTo("fast");
    count.clear();
    count.sendKeys("500");
    driver.findElement(By.id("trigger-submit")).click();
    assertThat(visible(By.id("param-error-count")).getText()).contains("at most 100");
    assertThat(runs(TYPED)).as("a value refused in the page sends nothing").isEmpty();

    count.clear();
    count.sendKeys("7");
    driver.findElement(By.cssSelector("#trigger-advanced summary")).click();
    WebElement raw = visible(By.id("trigger-conf"));
    raw.clear();
    raw.sendKeys("{\"count\": 0}");
    driver.findElement(By.id("trigger-submit")).click();
    waitUpTo(10)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("param-error-count"), "param 'count'"));
    assertThat(driver.findElement(By.id("trigger-error")).getText()).contains("400");
    screenshot("trigger-refused");
    assertThat(runs(TYPED)).as("a value refused by the server creates no run").isEmpty();

    raw.clear();
    raw.sendKeys("{}");
    driver.findElement(By.id("trigger-submit")).click();
    waitUpTo(20).until(ExpectedConditions.urlContains("#/dags/" + TYPED + "/grid"));
    waitUpTo(60)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#grid span.runbar[data-run-state='success']")));
    assertThat(runs(TYPED)).singleElement().satisfies(r -> assertThat(r.confJson()).contains("7"));
    open("#/dags?search=typed");
    assertThat(
            visible(By.cssSelector("tr[data-dag-id='" + TYPED + "'] [data-count-state='success']"))
                .getText())
        .as("the list counts the recent runs by state")
        .isEqualTo("1");
  }

  @Test
  @Order(3)
  void theTriggerDialogIsResetPerDagAndClosedByBack() {
    open("#/dags");
    visible(By.cssSelector("button.trigger[data-dag-id='city_weather']")).click();
    assertThat(visible(By.id("param-city")).getAttribute("value")).isEqualTo("Lisbon");
    assertThat(driver.findElements(By.id("param-count"))).isEmpty();
    assertThat(driver.findElement(By.id("trigger-conf")).getAttribute("value")).isEqualTo("{}");
    driver.navigate().back();
    waitUpTo(10).until(ExpectedConditions.invisibilityOfElementLocated(By.id("trigger-dialog")));
    assertThat(driver.getCurrentUrl()).endsWith("#/dags");
  }

  @Test
  @Order(4)
  void gridDetailsThenMarkATaskFailedSeeItsXComAndDeleteTheRun() throws Exception {
    String runId = runs(TYPED).get(0).runId();
    open("#/dags/" + TYPED + "/grid");
    visible(By.cssSelector("#grid a.cell[data-task-id='report']")).click();
    visible(By.id("ti-log-link"));
    assertThat(driver.findElement(By.id("ti-details")).getText())
        .contains("success", "shell", "duration");
    assertThat(driver.findElements(By.cssSelector("#grid .durbar"))).hasSize(1);
    screenshot("grid-details");
    driver.findElement(By.id("ti-xcom-link")).click();
    assertThat(visible(By.cssSelector("#xcom-table tr[data-xcom-key='return_value']")).getText())
        .contains("count=7");
    screenshot("xcom");
    driver.findElement(By.id("tab-rendered")).click();
    assertThat(visible(By.cssSelector("#rendered-table tr[data-field='command']")).getText())
        .contains("command", "echo count=7");
    screenshot("rendered-template");

    visible(By.id("mark-task-failed")).click();
    confirm();
    waitUpTo(10)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#task-state [data-state='failed']")));
    assertThat(
            store
                .inTransaction(tx -> tx.taskInstance(TYPED, runId, "report"))
                .orElseThrow()
                .state()
                .dbValue())
        .isEqualTo("failed");

    open("#/dags/" + TYPED + "/runs/" + runId);
    visible(By.id("delete-run")).click();
    confirm();
    waitUpTo(10).until(ExpectedConditions.urlContains("#/dags/" + TYPED + "/runs"));
    waitUpTo(10)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("runs-table"), "No runs"));
    assertThat(bannerText()).contains("deleted");
    assertThat(runs(TYPED)).isEmpty();
  }

  @Test
  @Order(5)
  void variableDeleteAsksFirst() {
    store.inTransaction(
        tx -> {
          tx.setVariable("ui_var", "1", null);
          return null;
        });
    open("#/variables");
    visible(By.cssSelector("#variables button[data-action='delete']")).click();
    visible(By.id("confirm-cancel")).click();
    assertThat(store.<java.util.Optional<String>>inTransaction(tx -> tx.variable("ui_var")))
        .isPresent();
    driver.findElement(By.cssSelector("#variables button[data-action='delete']")).click();
    confirm();
    waitUpTo(10).until(d -> store.inTransaction(tx -> tx.variable("ui_var")).isEmpty());
    waitUpTo(10)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("variables"), "No variables."));
  }

  @Test
  @Order(6)
  void aDeadLetterIsReplayedFromTheNavigationAndReportedAsSuccess() throws Exception {
    // why: the brokers create no topic on first use
    TopicProvisioner.ensure(
        config.with(Settings.TOPIC_PARTITIONS, "1"),
        config.get(Settings.DLQ_TOPIC),
        "ui_replay_src");
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      ProducerRecord<String, String> r =
          new ProducerRecord<>(
              config.get(Settings.DLQ_TOPIC),
              "u1",
              "{\"id\": \"u1\", \"email\": \"ada@example.org\", \"note\": \""
                  + "x".repeat(600)
                  + "\"}");
      r.headers().add("sluice.source.topic", "ui_replay_src".getBytes(StandardCharsets.UTF_8));
      r.headers().add("sluice.stage", "parse".getBytes(StandardCharsets.UTF_8));
      r.headers().add("sluice.error", "bad record".getBytes(StandardCharsets.UTF_8));
      producer.send(r).get();
    }
    open("#/dags");
    visible(By.id("nav-dlq")).click();
    WebElement replay = visible(By.cssSelector("#dlq-table button.replay"));
    long right =
        (Long)
            ((JavascriptExecutor) driver)
                .executeScript(
                    "return Math.ceil(arguments[0].getBoundingClientRect().right)", replay);
    long width = (Long) ((JavascriptExecutor) driver).executeScript("return window.innerWidth");
    assertThat(right).as("the Replay button is on screen at 1440 px").isLessThanOrEqualTo(width);
    screenshot("dlq");
    replay.click();
    waitUpTo(20)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("banner-text"), "Replayed 1 record"));
    assertThat(driver.findElement(By.id("banner")).getAttribute("class")).contains("ok");
    assertThat(bannerText()).doesNotContain("Error");
    assertThat(endOffset("ui_replay_src"))
        .as("the record is back in its source topic")
        .isEqualTo(1);

    assertThat(asViewer("/api/v1/pipeline/dlq"))
        .as("a viewer reads dead letters with their personal fields masked")
        .contains("email\\\": \\\"***\\\"")
        .doesNotContain("ada@example.org");

    visible(By.cssSelector("a[data-nav='pipeline']")).click();
    waitUpTo(30)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("svg[data-chart='topics'] text.tick")));
    assertThat(driver.findElement(By.cssSelector("svg[data-chart='topics']")).getText())
        .as("the rates chart has a time axis")
        .contains("time (UTC)")
        .containsPattern("\\d\\d:\\d\\d:\\d\\d");
    ((JavascriptExecutor) driver)
        .executeScript("document.querySelector(\"svg[data-chart='topics']\").scrollIntoView()");
    screenshot("pipeline");
  }

  @Test
  @Order(7)
  void nothingOverflowsAt390Px() throws Exception {
    driver.manage().window().setSize(new Dimension(390, 844));
    try {
      for (String page :
          List.of("#/dags", "#/connections", "#/dlq", "#/dags/" + TYPED + "/grid", "#/pipeline")) {
        open(page);
        visible(By.cssSelector("header.top nav"));
        waitUpTo(10).until(d -> !d.findElements(By.cssSelector("#view .card")).isEmpty());
        Object overflow =
            ((JavascriptExecutor) driver)
                .executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
        assertThat((Long) overflow).as("horizontal overflow of %s at 390 px", page).isZero();
        Object wrapped =
            ((JavascriptExecutor) driver)
                .executeScript(
                    "return [...document.querySelectorAll('button.trigger')].filter((b) =>"
                        + " b.getBoundingClientRect().height"
                        + " >= 2 * parseFloat(getComputedStyle(b).lineHeight)).length");
        assertThat((Long) wrapped).as("Trigger buttons broken over two lines on %s", page).isZero();
        screenshot("mobile-" + page.substring(2).replace('/', '-'));
      }
    } finally {
      driver.manage().window().setSize(new Dimension(1440, 900));
    }
  }

  @Test
  @Order(8)
  void aBackfillShowsItsProgressAndIsPausedFromTheDagPage() throws Exception {
    String created =
        asAdmin(
            "POST",
            "/api/v2/backfills",
            "{\"dag_id\": \"nightly\", \"from_date\": \"2024-01-01T00:00:00Z\","
                + " \"to_date\": \"2024-01-05T00:00:00Z\", \"max_active_runs\": 1}");
    long id = io.sluice.web.api.Json.parse(created).path("id").asLong();
    open("#/dags/nightly/grid");
    By row = By.cssSelector("#backfill-table tr[data-backfill-id='" + id + "']");
    visible(row);
    assertThat(visible(By.cssSelector("[data-backfill-progress='" + id + "']")).getText())
        .as("the row counts the backfill's five dates")
        .containsPattern("\\d/5 · running \\d");
    driver
        .findElement(By.cssSelector("tr[data-backfill-id='" + id + "'] [data-backfill-op='pause']"))
        .click();
    visible(By.cssSelector("tr[data-backfill-id='" + id + "'] [data-backfill-op='unpause']"));
    assertThat(asAdmin("GET", "/api/v2/backfills/" + id, null)).contains("\"is_paused\":true");
    screenshot("backfill");
  }

  @Test
  @Order(9)
  void aRunsNoteIsWrittenOnItsPage() throws Exception {
    DagRun run = runs("nightly").get(0);
    open("#/dags/nightly/runs/" + run.runId());
    WebElement text = visible(By.id("note-text"));
    text.clear();
    text.sendKeys("reloaded after the outage");
    driver.findElement(By.id("note-save")).click();
    waitUpTo(10)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(By.id("banner-text"), "Note saved"));
    assertThat(asAdmin("GET", "/api/v2/dags/nightly/dagRuns/" + run.runId(), null))
        .contains("\"note\":\"reloaded after the outage\"");
    driver.navigate().refresh();
    assertThat(visible(By.id("note-text")).getAttribute("value"))
        .isEqualTo("reloaded after the outage");
    screenshot("run-note");
  }

  @Test
  @Order(10)
  void everyStateBadgeReadsAtWcagAaContrast() {
    open("#/dags");
    visible(By.id("dag-table"));
    // why: the badge of each state as the pages draw it, measured on its computed colours
    @SuppressWarnings("unchecked")
    List<String> tooFaint =
        (List<String>)
            ((JavascriptExecutor) driver)
                .executeScript(
                    """
                    const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
                    const lum = (c) => {
                      const [r, g, b] = rgb(c).map((v) => v / 255)
                          .map((v) => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
                      return 0.2126 * r + 0.7152 * g + 0.0722 * b;
                    };
                    const faint = [];
                    for (const st of window.sluice.TASK_STATES) {
                      const b = document.body.appendChild(window.sluice.badge(st));
                      const s = getComputedStyle(b);
                      const [hi, lo] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
                      const ratio = (hi + 0.05) / (lo + 0.05);
                      if (ratio < 4.5) faint.push(st + " " + ratio.toFixed(2));
                      b.remove();
                    }
                    return faint;
                    """);
    assertThat(tooFaint).as("state badges under 4.5:1").isEmpty();
  }

  @Test
  @Order(11)
  void aPoolIsSetFromItsPageAndDeletedAfterAConfirmation() throws Exception {
    open("#/dags");
    visible(By.id("nav-pools")).click();
    visible(By.id("pool-name")).sendKeys("ui_pool");
    driver.findElement(By.id("pool-slots")).sendKeys("3");
    driver.findElement(By.id("pool-save")).click();
    By row = By.cssSelector("#pools tr[data-pool='ui_pool']");
    assertThat(visible(row).getText()).startsWith("ui_pool 3 0");
    screenshot("pools");
    driver
        .findElement(By.cssSelector("#pools tr[data-pool='ui_pool'] [data-action='delete']"))
        .click();
    confirm();
    waitUpTo(10).until(ExpectedConditions.invisibilityOfElementLocated(row));
    assertThat(store.<java.util.Optional<?>>inTransaction(tx -> tx.pool("ui_pool"))).isEmpty();
  }

  @Test
  @Order(12)
  void theAuditLogListsWhatWasDoneAndFiltersByDag() throws Exception {
    open("#/dags");
    visible(By.id("nav-audit-log")).click();
    visible(By.cssSelector("#audit-table tr[data-event-id]"));
    driver.findElement(By.id("audit-dag-id")).sendKeys(TYPED, Keys.TAB);
    waitUpTo(10).until(ExpectedConditions.urlContains("dag_id=" + TYPED));
    waitUpTo(10)
        .until(
            d ->
                d
                    .findElements(By.cssSelector("#audit-table tr[data-event-id] td:nth-child(4)"))
                    .stream()
                    .allMatch(td -> td.getText().equals(TYPED)));
    assertThat(driver.findElement(By.id("audit-table")).getText())
        .as("the trigger of the form, by the admin")
        .contains("admin", TYPED);
    screenshot("audit-log");
  }
}
