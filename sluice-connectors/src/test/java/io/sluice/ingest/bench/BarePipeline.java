package io.sluice.ingest.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.sluice.records.RecordType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The floor Sluice's ingest is measured against: the same pages fetched with {@link HttpClient},
 * the user's fields pulled out with Jackson's streaming parser, encoded with the Avro encoder (or
 * {@link JsonGenerator}) in the user schema's field order, and sent with a plain idempotent
 * producer. No transactions, no HMAC, no validation, no dead letters, no progress, no headers.
 */
final class BarePipeline {
  private static final JsonFactory JSON = new JsonFactory();
  // why: the twelve fields taken from the source, as the user schema names and orders them
  private static final String[] FIELDS =
      RecordType.USER.schema().getFields().subList(1, 13).stream()
          .map(Schema.Field::name)
          .toArray(String[]::new);
  private static final int DOB = 8;
  private static final int REGISTERED = 9;

  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<String, Object> producerConfig;
  private final int schemaId;
  private final String runId = "bare";

  /** A pipeline writing Avro with {@code schemaId}, or JSON when it is negative. */
  BarePipeline(Map<String, Object> producerConfig, int schemaId) {
    this.producerConfig = new HashMap<>(producerConfig);
    this.producerConfig.remove("transactional.id");
    this.producerConfig.remove("transaction.timeout.ms");
    this.schemaId = schemaId;
  }

  /** Sends the users of {@code pages} to {@code topic}, 3 pages in flight; returns records/s. */
  double run(List<URI> pages, String topic) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(3);
    long sent = 0;
    long start = System.nanoTime();
    try (var producer = new KafkaProducer<byte[], byte[]>(producerConfig)) {
      Deque<Future<List<ProducerRecord<byte[], byte[]>>>> inFlight = new ArrayDeque<>();
      int next = 0;
      while (next < pages.size() || !inFlight.isEmpty()) {
        while (inFlight.size() < 3 && next < pages.size()) {
          URI uri = pages.get(next++);
          inFlight.add(pool.submit(() -> page(uri, topic)));
        }
        for (var r : inFlight.poll().get()) {
          producer.send(r);
          sent++;
        }
      }
      producer.flush();
    } finally {
      pool.shutdownNow();
    }
    return sent / ((System.nanoTime() - start) / 1e9);
  }

  private List<ProducerRecord<byte[], byte[]>> page(URI uri, String topic) throws Exception {
    byte[] body =
        http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray())
            .body();
    long fetchedAt = System.currentTimeMillis();
    var out = new ArrayList<ProducerRecord<byte[], byte[]>>(5000);
    try (JsonParser p = JSON.createParser(body)) {
      while (p.nextToken() != null)
        if (p.currentToken() == JsonToken.FIELD_NAME && "results".equals(p.currentName())) break;
      p.nextToken();
      while (p.nextToken() == JsonToken.START_OBJECT) {
        String[] f = new String[FIELDS.length];
        user(p, f, "");
        byte[] value = schemaId >= 0 ? avro(f, fetchedAt) : json(f, fetchedAt);
        out.add(new ProducerRecord<>(topic, f[0].getBytes(StandardCharsets.UTF_8), value));
      }
    }
    return out;
  }

  /** Reads one object, keeping the twelve fields by their path. */
  private static void user(JsonParser p, String[] f, String path) throws IOException {
    String street = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = path + p.currentName();
      JsonToken t = p.nextToken();
      if (t == JsonToken.START_OBJECT) {
        if (key.equals("location.street")) {
          String[] s = new String[2];
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            p.nextToken();
            if (k.equals("number")) s[0] = p.getText();
            else if (k.equals("name")) s[1] = p.getText();
          }
          street = s[0] + " " + s[1];
        } else if (key.indexOf('.') < 0) user(p, f, key + ".");
        else p.skipChildren();
        continue;
      }
      if (t == JsonToken.START_ARRAY) {
        p.skipChildren();
        continue;
      }
      switch (key) {
        case "login.uuid" -> f[0] = p.getText();
        case "name.first" -> f[1] = p.getText();
        case "name.last" -> f[2] = p.getText();
        case "gender" -> f[3] = p.getText();
        case "location.city", "location.state", "location.country" ->
            f[4] = f[4] == null ? p.getText() : f[4] + ", " + p.getText();
        case "location.postcode" -> f[5] = p.getText();
        case "email" -> f[6] = p.getText();
        case "login.username" -> f[7] = p.getText();
        case "dob.date" -> f[DOB] = p.getText();
        case "registered.date" -> f[REGISTERED] = p.getText();
        case "phone" -> f[10] = p.getText();
        case "picture.medium" -> f[11] = p.getText();
        default -> {}
      }
    }
    if (street != null) f[4] = f[4] == null ? street : street + ", " + f[4];
  }

  private byte[] avro(String[] f, long fetchedAt) throws IOException {
    var bytes = new ByteArrayOutputStream(512);
    bytes.write(0);
    bytes.write(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder e = EncoderFactory.get().directBinaryEncoder(bytes, null);
    e.writeInt(1);
    for (int i = 0; i < FIELDS.length; i++) {
      if (f[i] == null) {
        e.writeIndex(0);
        continue;
      }
      e.writeIndex(1);
      if (i == DOB || i == REGISTERED) e.writeLong(Instant.parse(f[i]).toEpochMilli());
      else e.writeString(f[i]);
    }
    e.writeIndex(1);
    e.writeString("randomuser");
    e.writeIndex(1);
    e.writeLong(fetchedAt);
    e.writeIndex(1);
    e.writeString(runId);
    e.flush();
    return bytes.toByteArray();
  }

  private byte[] json(String[] f, long fetchedAt) throws IOException {
    var bytes = new ByteArrayOutputStream(768);
    try (JsonGenerator g = JSON.createGenerator(bytes)) {
      g.writeStartObject();
      g.writeNumberField("schema_version", 1);
      for (int i = 0; i < FIELDS.length; i++) {
        if (f[i] == null) g.writeNullField(FIELDS[i]);
        else if (i == DOB || i == REGISTERED)
          g.writeStringField(FIELDS[i], Instant.parse(f[i]).toString());
        else g.writeStringField(FIELDS[i], f[i]);
      }
      g.writeStringField("source", "randomuser");
      g.writeStringField("fetched_at", Instant.ofEpochMilli(fetchedAt).toString());
      g.writeStringField("run_id", runId);
      g.writeEndObject();
    }
    return bytes.toByteArray();
  }
}
