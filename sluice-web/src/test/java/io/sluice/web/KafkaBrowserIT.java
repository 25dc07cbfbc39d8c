package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.RecordEncoder;
import io.sluice.schemaregistry.client.SchemaRegistryClient;
import io.sluice.web.api.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

/**
 * The Kafka page in a real headless Chromium beside a real Kafka broker and schema registry: a
 * {@code users_created} record found by its key shows its Avro value decoded. An op produces a
 * record through the Produce record dialog, after a confirmation, and finds it decoded by its key;
 * a value that does not match the topic's schema is refused with Avro's reason in the dialog; a
 * viewer has no Produce button and the server refuses them. An op resets an inactive group's
 * offsets after a confirmation and sees them move in Kafka and on the page; the same reset of a
 * group with a running consumer is refused, with Kafka's reason in the banner.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.SCHEMA_REGISTRY})
class KafkaBrowserIT {
  private static final String PASSWORD = "groups-browser-pw";
  private static final String OP_PASSWORD = WebFixture.OP_PASSWORD;
  private static final String VIEWER_PASSWORD = WebFixture.VIEWER_PASSWORD;
  private static final String TOPIC = "browser.groups";

  static WebFixture.OnStack server;
  static String base;
  static SluiceConfig kafkaConfig;
  static String bootstrap;
  static String usersTopic;
  static int schemaId;
  Browser browser;

  @BeforeAll
  static void start(LocalStack stack) throws Exception {
    assumeTrue(Browser.installed(), Browser.NO_CHROMIUM);
    server = WebFixture.OnStack.start(stack, PASSWORD, Map.of());
    base = server.base;
    SluiceConfig config = server.config;
    bootstrap = stack.kafkaBootstrap();
    kafkaConfig = config.with(Settings.TOPIC_PARTITIONS, "1");
    TopicProvisioner.ensure(kafkaConfig, TOPIC);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int i = 0; i < 5; i++)
        producer.send(new ProducerRecord<>(TOPIC, "k" + i, "{\"n\":" + i + "}")).get();
    }
    // why: the stack's own users topic holds other tests' users; this one holds these three only
    usersTopic = "browser." + config.get(Settings.USERS_TOPIC);
    TopicProvisioner.ensure(kafkaConfig, usersTopic);
    String schema =
        "{\"type\":\"record\",\"name\":\"User\",\"fields\":[{\"name\":\"id\",\"type\":\"string\"},"
            + "{\"name\":\"first_name\",\"type\":\"string\"}]}";
    int id =
        schemaId =
            new SchemaRegistryClient(stack.schemaRegistryUrl())
                .register(usersTopic + "-value", schema);
    RecordEncoder encoder = RecordEncoder.of(new Schema.Parser().parse(schema));
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      for (String name : List.of("Ada", "Grace", "Edsger")) {
        Object[] values = encoder.newValues();
        values[encoder.position("id")] = "user-" + name;
        values[encoder.position("first_name")] = name;
        producer
            .send(new ProducerRecord<>(usersTopic, "user-" + name, encoder.avro(id, values)))
            .get();
      }
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
  }

  @AfterEach
  void quit() {
    if (browser != null) browser.close();
  }

  private void openGroupPage(String group) throws Exception {
    browser = server.browser("op", OP_PASSWORD, 1400, 1000);
    browser.go("#/kafka/groups/" + group);
    browser.clickable(By.id("reset-offsets"));
  }

  private String cell(String css) {
    return browser
        .driver
        .findElement(By.cssSelector("#kafka-group tr[data-partition='" + TOPIC + "/0'] " + css))
        .getText();
  }

  private void resetToEarliestAndConfirm() {
    new Select(browser.driver.findElement(By.id("reset-to"))).selectByValue("earliest");
    browser.driver.findElement(By.id("reset-offsets")).click();
    browser.confirm();
  }

  private void openUsersTopicAs(String user, String password) throws Exception {
    browser = server.browser(user, password, 1400, 1000);
    browser.go("#/kafka/topics/" + usersTopic);
    browser.clickable(By.id("records-load"));
    browser
        .waitUpTo(20)
        .until(
            ExpectedConditions.numberOfElementsToBeMoreThan(
                By.cssSelector("#kafka-records tbody tr[data-offset]"), 0));
  }

  /** Shows only the records with {@code key}, and waits for that one record. */
  private WebElement findByKey(String key) {
    browser.driver.findElement(By.id("records-key")).clear();
    browser.driver.findElement(By.id("records-offset")).clear();
    browser.driver.findElement(By.id("records-key")).sendKeys(key);
    browser.driver.findElement(By.id("records-load")).click();
    By keyed = By.cssSelector("#kafka-records tbody tr[data-offset]");
    browser
        .waitUpTo(20)
        .until(
            d -> d.findElements(keyed).size() == 1 && d.findElement(keyed).getText().contains(key));
    return browser.driver.findElement(keyed);
  }

  /** Fills the Produce record dialog, sends it and confirms. */
  private void produce(String key, String headers, String value) {
    browser.clickable(By.id("produce-open")).click();
    browser.visible(By.id("produce-key")).sendKeys(key);
    browser.driver.findElement(By.id("produce-headers")).sendKeys(headers);
    browser.driver.findElement(By.id("produce-value")).sendKeys(value);
    browser.driver.findElement(By.id("produce-send")).click();
    browser.confirm();
  }

  private static long endOffset(String topic) throws Exception {
    try (Admin admin = TopicProvisioner.admin(kafkaConfig)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      return admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
    }
  }

  @Test
  void aUsersCreatedRecordFoundByItsKeyShowsItsDecodedValue() throws Exception {
    openUsersTopicAs("viewer", VIEWER_PASSWORD);
    WebElement row = findByKey("user-Grace");
    assertThat(row.getAttribute("data-offset")).isEqualTo("1");
    assertThat(row.findElement(By.cssSelector(".record-key")).getText()).isEqualTo("user-Grace");
    assertThat(row.findElement(By.cssSelector(".record-value")).getText())
        .contains("\"first_name\"", "\"Grace\"");
    assertThat(row.getText()).contains("avro", "schema id");
  }

  @Test
  void anOpProducesAUsersRecordThroughTheDialogAndFindsItDecodedByItsKey() throws Exception {
    long end = endOffset(usersTopic);
    openUsersTopicAs("op", OP_PASSWORD);
    produce("user-Alan", "source: browser", "{\"id\": \"user-Alan\", \"first_name\": \"Alan\"}");
    assertThat(browser.banner("Produced"))
        .contains("partition 0, offset " + end, "avro", "schema id " + schemaId);
    browser.screenshot("kafka-produced");
    assertThat(endOffset(usersTopic)).isEqualTo(end + 1);

    WebElement row = findByKey("user-Alan");
    assertThat(row.getAttribute("data-offset")).isEqualTo(String.valueOf(end));
    assertThat(row.findElement(By.cssSelector(".record-value")).getText())
        .contains("\"first_name\"", "\"Alan\"");
    assertThat(row.getText()).contains("source: browser", "avro", "schema id " + schemaId);
    JsonNode events = asAdmin("/api/v2/eventLogs?event=post_record&order_by=-when");
    assertThat(events.path("event_logs").get(0).path("owner").asText()).isEqualTo("op");
    assertThat(events.path("event_logs").get(0).path("extra").asText())
        .contains("/kafka/topics/" + usersTopic + "/records", "201");
  }

  @Test
  void aValueNotMatchingTheSchemaIsRefusedWithAvrosReasonOnThePage() throws Exception {
    long end = endOffset(usersTopic);
    openUsersTopicAs("op", OP_PASSWORD);
    produce("user-Bad", "", "{\"id\": \"user-Bad\"}");
    WebElement error = browser.visible(By.id("produce-error"));
    assertThat(error.getText()).contains("does not match Avro", "first_name");
    assertThat(browser.driver.findElement(By.id("produce-dialog")).isDisplayed()).isTrue();
    browser.screenshot("kafka-produce-refused");
    assertThat(endOffset(usersTopic)).as("nothing written").isEqualTo(end);
  }

  @Test
  void aViewerSeesNoProduceButtonAndTheServerRefusesThem() throws Exception {
    openUsersTopicAs("viewer", VIEWER_PASSWORD);
    assertThat(browser.driver.findElements(By.id("produce-open"))).isEmpty();
    var refused =
        server.send(
            "POST",
            "/api/v2/sluice/kafka/topics/" + usersTopic + "/records",
            "viewer",
            VIEWER_PASSWORD,
            "{\"value\": \"{}\"}");
    assertThat(refused.statusCode()).isEqualTo(403);
  }

  private static JsonNode asAdmin(String path) throws Exception {
    var r = server.send("GET", path, "admin", PASSWORD, null);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return Json.parse(r.body());
  }

  @Test
  void resettingAnInactiveGroupMovesItsOffsetsOnThePageAndInKafka() throws Exception {
    try (Admin admin = TopicProvisioner.admin(kafkaConfig)) {
      TopicPartition tp = new TopicPartition(TOPIC, 0);
      admin
          .alterConsumerGroupOffsets("browser-idle", Map.of(tp, new OffsetAndMetadata(4)))
          .all()
          .get();
      openGroupPage("browser-idle");
      assertThat(cell("td.offset")).isEqualTo("4");
      assertThat(cell("td.lag")).isEqualTo("1");
      resetToEarliestAndConfirm();
      assertThat(browser.banner("reset")).contains(TOPIC + "/0 → 0");
      assertThat(cell("td.offset")).isEqualTo("0");
      assertThat(cell("td.lag")).isEqualTo("5");
      long committed =
          admin
              .listConsumerGroupOffsets("browser-idle")
              .partitionsToOffsetAndMetadata()
              .get()
              .get(tp)
              .offset();
      assertThat(committed).isZero();
    }
  }

  @Test
  void resettingAGroupWithARunningConsumerIsRefusedWithTheReason() throws Exception {
    Properties c = new Properties();
    c.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "browser-active");
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(TOPIC));
      while (consumer.assignment().isEmpty()) consumer.poll(Duration.ofMillis(200));
      consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(5)));
      openGroupPage("browser-active");
      assertThat(cell("td.offset")).isEqualTo("5");
      resetToEarliestAndConfirm();
      assertThat(browser.banner("is active"))
          .contains("Error:", "browser-active", "stop its consumers");
      assertThat(cell("td.offset")).isEqualTo("5");
    }
  }
}
