package io.sluice.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.engine.EngineLoop;
import io.sluice.ingest.kafka.TopicProvisioner;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import io.sluice.records.RecordEncoder;
import io.sluice.schemaregistry.client.SchemaRegistryClient;
import io.sluice.store.JdbcStore;
import io.sluice.store.MetadataDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.kafka.clients.admin.Admin;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The Kafka page in a real headless Chromium beside a real Kafka broker and schema registry: a
 * {@code users_created} record found by its key shows its Avro value decoded. An op resets an
 * inactive group's offsets after a confirmation and sees them move in Kafka and on the page; the
 * same reset of a group with a running consumer is refused, with Kafka's reason in the banner.
 */
@SluiceStackTest(services = {Service.KAFKA, Service.SCHEMA_REGISTRY})
class KafkaBrowserIT {
  private static final String PASSWORD = "groups-browser-pw";
  private static final String TOPIC = "browser.groups";

  static JdbcStore store;
  static EngineLoop scheduler;
  static WebServer web;
  static String base;
  static SluiceConfig kafkaConfig;
  static String bootstrap;
  static String usersTopic;
  WebDriver driver;

  @BeforeAll
  static void start(LocalStack stack) throws Exception {
    assumeTrue(BrowserIT.chromiumInstalled(), BrowserIT.NO_CHROMIUM);
    Path dir = Files.createTempDirectory("sluice-groups-browser");
    Path dags = Files.createDirectories(dir.resolve("dags"));
    SluiceConfig config =
        stack
            .config()
            .with(Settings.DATA_DIR, dir.toString())
            .with(Settings.DAGS_FOLDER, dags.toString());
    store = MetadataDatabases.inMemory();
    scheduler = WebFixture.startScheduler(store, dags, config);
    web = WebFixture.startWeb(config, scheduler, PASSWORD);
    base = "http://127.0.0.1:" + web.port();
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
        new SchemaRegistryClient(stack.schemaRegistryUrl()).register(usersTopic + "-value", schema);
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
    if (web != null) web.close();
    if (scheduler != null) scheduler.close();
    if (store != null) store.close();
  }

  @AfterEach
  void quit() {
    if (driver != null) driver.quit();
  }

  private WebDriverWait waitUpTo(int seconds) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds));
  }

  private void logIn() throws Exception {
    driver = BrowserIT.chromium(1400, 1000);
    driver.get(base + "/");
    waitUpTo(20).until(ExpectedConditions.urlContains("/login"));
    driver.findElement(By.id("username")).sendKeys("admin");
    driver.findElement(By.id("password")).sendKeys(PASSWORD);
    driver.findElement(By.id("login-button")).click();
    waitUpTo(20).until(ExpectedConditions.presenceOfElementLocated(By.id("dag-table")));
  }

  private void openGroupPage(String group) throws Exception {
    logIn();
    driver.get(base + "/#/kafka/groups/" + group);
    waitUpTo(20).until(ExpectedConditions.elementToBeClickable(By.id("reset-offsets")));
  }

  private String cell(String css) {
    return driver
        .findElement(By.cssSelector("#kafka-group tr[data-partition='" + TOPIC + "/0'] " + css))
        .getText();
  }

  private void resetToEarliestAndConfirm() {
    new org.openqa.selenium.support.ui.Select(driver.findElement(By.id("reset-to")))
        .selectByValue("earliest");
    driver.findElement(By.id("reset-offsets")).click();
    waitUpTo(10).until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
  }

  @Test
  void aUsersCreatedRecordFoundByItsKeyShowsItsDecodedValue() throws Exception {
    logIn();
    driver.get(base + "/#/kafka/topics/" + usersTopic);
    waitUpTo(20).until(ExpectedConditions.elementToBeClickable(By.id("records-load")));
    waitUpTo(20)
        .until(
            ExpectedConditions.numberOfElementsToBe(By.cssSelector("#kafka-records tbody tr"), 3));
    driver.findElement(By.id("records-key")).sendKeys("user-Grace");
    driver.findElement(By.id("records-load")).click();
    // why: the filtered page replaces the first one, which showed all three users
    waitUpTo(20)
        .until(
            ExpectedConditions.numberOfElementsToBe(By.cssSelector("#kafka-records tbody tr"), 1));
    var row = driver.findElement(By.cssSelector("#kafka-records tbody tr"));
    assertThat(row.getAttribute("data-offset")).isEqualTo("1");
    assertThat(row.findElement(By.cssSelector(".record-key")).getText()).isEqualTo("user-Grace");
    assertThat(row.findElement(By.cssSelector(".record-value")).getText())
        .contains("\"first_name\"", "\"Grace\"");
    assertThat(row.getText()).contains("avro", "schema id");
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
      waitUpTo(20)
          .until(ExpectedConditions.textToBePresentInElementLocated(By.id("banner-text"), "reset"));
      assertThat(cell("td.offset")).isEqualTo("0");
      assertThat(cell("td.lag")).isEqualTo("5");
      assertThat(driver.findElement(By.id("banner-text")).getText()).contains(TOPIC + "/0 → 0");
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
      waitUpTo(20)
          .until(
              ExpectedConditions.textToBePresentInElementLocated(
                  By.id("banner-text"), "is active"));
      assertThat(driver.findElement(By.id("banner-text")).getText())
          .contains("Error:", "browser-active", "stop its consumers");
      assertThat(cell("td.offset")).isEqualTo("5");
    }
  }
}
