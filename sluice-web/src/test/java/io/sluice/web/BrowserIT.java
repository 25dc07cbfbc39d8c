package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.store.JdbcStore;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web UI in a real headless Chromium (Debian's chromium and chromium-driver): log in, trigger a
 * DAG, watch it succeed in the grid, read a task log, and see data move on the pipeline page, with
 * a real scheduler and a real Kafka broker. Screenshots go to {@code target/screenshots}.
 */
// why: S3 runs s3proxy's Jetty 12 in this JVM next to the web server's, as `sluice up` does
@SluiceStackTest(services = {Service.KAFKA, Service.S3})
class BrowserIT {
  private static final String PASSWORD = "browser-test-pw";

  static WebFixture.OnStack server;
  static JdbcStore store;
  static WebServer web;
  static String base;
  static KafkaProducer<String, String> producer;
  static SluiceConfig kafkaConfig;
  static Thread producing;
  static final AtomicBoolean stop = new AtomicBoolean();
  Browser browser;
  WebDriver driver;

  @BeforeAll
  static void start(LocalStack stack) throws Exception {
    assumeTrue(Browser.installed(), Browser.NO_CHROMIUM);
    server =
        WebFixture.OnStack.start(
            stack,
            PASSWORD,
            Map.of(
                "user_automation.yaml",
                """
        dag_id: user_automation
        schedule: null
        start_date: 2024-01-01
        tasks:
          - id: fetch_users
            type: shell
            command: "echo fetching users for {{ run_id }}; echo fetched 10 users"
          - id: stream_to_kafka
            type: shell
            command: "echo streamed 10 users to users_created"
            depends_on: [fetch_users]
        """,
                "broken.yaml",
                "dag_id: broken\ntasks:\n  - id: a\n    type: nope\n"));
    SluiceConfig config = server.config;
    store = server.store;
    web = server.web;
    base = server.base;
    var s3 =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(stack.s3Endpoint()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(s3.statusCode()).as("s3proxy answers beside the web server").isLessThan(500);

    String topic = config.get(Settings.USERS_TOPIC);
    kafkaConfig = config.with(Settings.TOPIC_PARTITIONS, "1");
    TopicProvisioner.ensure(kafkaConfig, topic);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
    producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
    producing =
        new Thread(
            () -> {
              int i = 0;
              while (!stop.get()) {
                producer.send(new ProducerRecord<>(topic, "u" + i, "{\"id\":\"u" + i++ + "\"}"));
                try {
                  Thread.sleep(20); // why: a steady stream of about 50 records/s for the rate
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "users-producer");
    producing.setDaemon(true);
    producing.start();
  }

  @AfterAll
  static void stop() throws Exception {
    stop.set(true);
    if (producing != null) producing.join(5000);
    if (producer != null) producer.close(Duration.ofSeconds(5));
    if (server != null) server.close();
  }

  @AfterEach
  void quit() {
    if (browser != null) browser.close();
  }

  private WebDriver browser() throws Exception {
    browser = Browser.open(base, 1400, 1000);
    driver = browser.driver;
    return driver;
  }

  private WebDriverWait waitUpTo(int seconds) {
    return browser.waitUpTo(seconds);
  }

  private void screenshot(TestInfo info, String step) throws Exception {
    browser.screenshot(info.getTestMethod().orElseThrow().getName() + "-" + step);
  }

  /** Opens the UI, is sent to the login page, and logs in as admin. */
  private void logIn() {
    driver.get(base + "/");
    waitUpTo(20).until(ExpectedConditions.urlContains("/login"));
    browser.logIn("admin", PASSWORD);
  }

  @Test
  void wrongPasswordShowsAnError(TestInfo info) throws Exception {
    browser();
    driver.get(base + "/login");
    driver.findElement(By.id("username")).sendKeys("admin");
    driver.findElement(By.id("password")).sendKeys("not-the-password");
    driver.findElement(By.id("login-button")).click();
    WebElement error =
        waitUpTo(20).until(ExpectedConditions.visibilityOfElementLocated(By.id("login-error")));
    assertThat(error.getText()).containsIgnoringCase("invalid");
    screenshot(info, "refused");
  }

  @Test
  void triggerUserAutomationSeeItSucceedInTheGridAndReadATaskLog(TestInfo info) throws Exception {
    browser();
    logIn();
    WebElement row =
        waitUpTo(20)
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("tr[data-dag-id='user_automation']")));
    assertThat(driver.findElement(By.id("import-error-banner")).getText())
        .contains("failed to load");
    screenshot(info, "1-dags");
    row.findElement(By.cssSelector("button.trigger")).click();
    waitUpTo(10)
        .until(ExpectedConditions.elementToBeClickable(By.cssSelector("#trigger-advanced summary")))
        .click();
    WebElement conf =
        waitUpTo(10).until(ExpectedConditions.visibilityOfElementLocated(By.id("trigger-conf")));
    conf.clear();
    conf.sendKeys("{\"source\": \"browser\"}");
    driver.findElement(By.id("trigger-submit")).click();

    waitUpTo(20).until(ExpectedConditions.urlContains("#/dags/user_automation/grid"));
    waitUpTo(60)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#grid span.runbar[data-run-state='success']")));
    assertThat(
            driver.findElements(
                By.cssSelector(
                    "#grid a.cell[data-task-id='stream_to_kafka'][data-state='success']")))
        .hasSize(1);
    assertThat(driver.findElement(By.id("state-legend")).getText())
        .contains("success", "failed", "up_for_retry", "upstream_failed", "deferred", "removed");
    screenshot(info, "2-grid-success");
    assertThat(
            store.<java.util.List<io.sluice.core.model.DagRun>>inTransaction(
                tx -> tx.runs("user_automation", 10)))
        .singleElement()
        .satisfies(r -> assertThat(r.confJson()).contains("browser"));

    driver.findElement(By.cssSelector("#grid a.cell[data-task-id='fetch_users']")).click();
    waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("ti-log-link"))).click();
    waitUpTo(30)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("log-lines"), "fetched 10 users"));
    waitUpTo(30)
        .until(ExpectedConditions.textToBePresentInElementLocated(By.id("log-status"), "finished"));
    screenshot(info, "3-task-log");

    driver.get(base + "/#/dags/user_automation/graph");
    waitUpTo(20)
        .until(
            ExpectedConditions.presenceOfElementLocated(
                By.cssSelector(
                    "#graph g.node[data-task-id='stream_to_kafka'][data-state='success']")));
    screenshot(info, "4-graph");
    driver.get(base + "/#/dags/user_automation/gantt");
    waitUpTo(20).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#gantt rect")));
    screenshot(info, "5-gantt");
    driver.get(base + "/#/import-errors");
    waitUpTo(20)
        .until(
            ExpectedConditions.textToBePresentInElementLocated(
                By.id("import-errors"), "broken.yaml"));
    screenshot(info, "6-import-errors");
  }

  @Test
  void pipelinePageShowsTheUsersFlowWithANonZeroRate(TestInfo info) throws Exception {
    browser();
    logIn();
    driver.get(base + "/#/pipeline");
    waitUpTo(20).until(ExpectedConditions.presenceOfElementLocated(By.id("pipeline-diagram")));
    // the status sampler runs every few seconds; wait for a sample with records flowing
    waitUpTo(60)
        .until(
            d -> {
              var label = d.findElements(By.cssSelector("text[data-edge='users:produce']"));
              if (label.isEmpty()) return false;
              String t = label.get(0).getText();
              return t.endsWith("rec/s") && !t.startsWith("0 ") && !t.startsWith("—");
            });
    assertThat(
            driver
                .findElement(By.cssSelector("#topics-table tr[data-topic='users_created'] td.rate"))
                .getText())
        .isNotEqualTo("0");
    assertThat(driver.findElements(By.cssSelector("svg[data-chart='topics'] polyline")))
        .isNotEmpty();
    assertThat(driver.findElement(By.id("dlq-link")).getText()).contains("records");
    screenshot(info, "pipeline");
  }

  @Test
  void kafkaPageShowsARecordsKeyHeadersAndValueWithSecretsMaskedAndAGroupsLag(TestInfo info)
      throws Exception {
    String topic = "browser.kafka";
    TopicProvisioner.ensure(kafkaConfig, topic);
    var record =
        new ProducerRecord<>(
            topic, "user-42", "{\"id\":\"user-42\",\"name\":\"Ada\",\"password\":\"hunter2\"}");
    record.headers().add("source", "browser-it".getBytes(StandardCharsets.UTF_8));
    producer.send(record).get();
    try (Admin admin = TopicProvisioner.admin(kafkaConfig)) {
      admin
          .alterConsumerGroupOffsets(
              "browser-readers", Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(0)))
          .all()
          .get();
    }
    Set<String> groupsBefore = groups();

    browser();
    logIn();
    driver.get(base + "/#/kafka");
    waitUpTo(20)
        .until(
            ExpectedConditions.elementToBeClickable(
                By.cssSelector("tr[data-topic='browser.kafka'] a.topic-link")))
        .click();
    WebElement row =
        waitUpTo(20)
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#kafka-records tr[data-offset='0']")));
    assertThat(row.findElement(By.cssSelector(".record-key")).getText()).isEqualTo("user-42");
    assertThat(row.findElement(By.cssSelector(".record-value")).getText())
        .contains("\"name\":\"Ada\"", "\"password\":\"***\"")
        .doesNotContain("hunter2");
    assertThat(row.getText()).contains("source: browser-it");
    assertThat(driver.findElement(By.id("kafka-partitions")).getText()).contains("0");
    screenshot(info, "kafka-records");

    driver.get(base + "/#/kafka/groups/browser-readers");
    WebElement lag =
        waitUpTo(20)
            .until(
                ExpectedConditions.presenceOfElementLocated(
                    By.cssSelector("#kafka-group tr[data-partition='browser.kafka/0'] td.lag")));
    assertThat(lag.getText()).isEqualTo("1");
    screenshot(info, "kafka-group");
    assertThat(groups()).as("browsing joins no consumer group").isEqualTo(groupsBefore);
  }

  private static Set<String> groups() throws Exception {
    try (Admin admin = TopicProvisioner.admin(kafkaConfig)) {
      Set<String> ids = new TreeSet<>();
      admin.listConsumerGroups().all().get().forEach(g -> ids.add(g.groupId()));
      return ids;
    }
  }

  @Test
  void aCrossSiteFormPostWithCachedBasicCredentialsIsRefused(TestInfo info) throws Exception {
    // why: another port is another origin; the page forges the JSON body with a text/plain form
    com.sun.net.httpserver.HttpServer evil =
        com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
    String page =
        "<html><body><form id='f' method='post' enctype='text/plain' action='"
            + base
            + "/api/v1/variables'><input name='{\"key\":\"forged_by_browser\",\"value\":\"' value='x\"}'>"
            + "</form><script>document.getElementById('f').submit()</script></body></html>";
    evil.createContext(
        "/",
        ex -> {
          byte[] b = page.getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
          ex.sendResponseHeaders(200, b.length);
          ex.getResponseBody().write(b);
          ex.close();
        });
    evil.start();
    try {
      browser();
      // why: with no WWW-Authenticate challenge, credentials in a URL are never sent nor cached
      driver.get("http://admin:" + PASSWORD + "@127.0.0.1:" + web.port() + "/api/v1/me");
      assertThat(driver.getPageSource()).contains("authentication required");
      driver.get("http://127.0.0.1:" + evil.getAddress().getPort() + "/");
      waitUpTo(20).until(ExpectedConditions.urlContains("/api/v1/variables"));
      screenshot(info, "forged-post");
      assertThat(driver.getPageSource()).contains("request refused");
      assertThat(store.inTransaction(tx -> tx.variable("forged_by_browser")).orElse(null)).isNull();
    } finally {
      evil.stop(0);
    }
  }
}
