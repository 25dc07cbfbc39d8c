package io.sluice.local.schemaregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.local.LocalStack;
import io.sluice.local.Service;
import io.sluice.local.junit.SluiceStackTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.Test;

/**
 * The registry's contract, driven by a client nobody here wrote: Confluent's JavaScript client
 * ({@code @confluentinc/schemaregistry}, installed by {@code .ci/install} under {@code
 * src/test/js}) registers, looks up, checks compatibility and serializes a user with its Avro
 * serde; Java decodes that record from Confluent's wire format (magic byte 0, 4-byte schema id,
 * Avro binary), then encodes one the JavaScript deserializer reads back.
 */
@SluiceStackTest(services = Service.SCHEMA_REGISTRY)
class SchemaRegistryContractIT {
  private static final Path SCRIPT_DIR = Path.of("src/test/js");
  private static final String USER_SCHEMA =
      "{\"type\":\"record\",\"name\":\"User\",\"namespace\":\"io.sluice.users\",\"fields\":["
          + "{\"name\":\"id\",\"type\":\"string\"},"
          + "{\"name\":\"first_name\",\"type\":\"string\"},"
          + "{\"name\":\"last_name\",\"type\":\"string\"},"
          + "{\"name\":\"age\",\"type\":\"int\"},"
          + "{\"name\":\"email\",\"type\":[\"null\",\"string\"],\"default\":null}]}";

  @Test
  void confluentsJavaScriptClientAndAJavaAvroDecoderAgree(LocalStack stack) throws Exception {
    String url = stack.schemaRegistryUrl();
    JsonNode js = node(url, "register", USER_SCHEMA);

    int id = js.path("id").asInt();
    assertThat(id).isPositive();
    assertThat(js.path("again").asInt()).isEqualTo(id);
    assertThat(js.path("byId").path("name").asText()).isEqualTo("User");
    assertThat(js.path("latest").path("id").asInt()).isEqualTo(id);
    assertThat(js.path("latest").path("version").asInt()).isEqualTo(1);
    assertThat(js.path("v1").path("id").asInt()).isEqualTo(id);
    assertThat(js.path("lookedUp").asInt()).isEqualTo(id);
    assertThat(js.path("versions").toString()).isEqualTo("[1]");
    assertThat(js.path("subjects").toString()).contains("\"users_created-value\"");
    assertThat(js.path("defaultLevel").asText()).isEqualTo("BACKWARD");
    assertThat(js.path("compatible").asBoolean()).isTrue();
    assertThat(js.path("incompatible").asBoolean()).isFalse();
    assertThat(js.path("refused").path("status").asInt()).isEqualTo(409);
    assertThat(js.path("refused").path("errorCode").asInt()).isEqualTo(409);
    assertThat(js.path("refused").path("message").asText()).contains("shoe_size");

    byte[] payload = Base64.getDecoder().decode(js.path("payload").asText());
    GenericRecord decoded = decode(url, payload);
    assertThat(ByteBuffer.wrap(payload, 1, 4).getInt()).isEqualTo(id);
    assertThat(decoded.get("first_name").toString()).isEqualTo("Ada");
    assertThat(decoded.get("age")).isEqualTo(36);
    assertThat(decoded.get("email").toString()).isEqualTo("ada@example.org");

    Schema schema = new Schema.Parser().parse(USER_SCHEMA);
    GenericRecord grace = new GenericData.Record(schema);
    grace.put("id", "d4e5f6");
    grace.put("first_name", "Grace");
    grace.put("last_name", "Hopper");
    grace.put("age", 85);
    grace.put("email", null);
    JsonNode back =
        node(
            url,
            "deserialize",
            "users_created",
            Base64.getEncoder().encodeToString(encode(id, grace)));
    assertThat(back.path("record").path("first_name").asText()).isEqualTo("Grace");
    assertThat(back.path("record").path("age").asInt()).isEqualTo(85);
    assertThat(back.path("record").path("email").isNull()).isTrue();
  }

  /** Confluent's wire format read by hand: magic byte 0, the writer schema's id, Avro binary. */
  private static GenericRecord decode(String url, byte[] payload) throws Exception {
    ByteBuffer buffer = ByteBuffer.wrap(payload);
    assertThat(buffer.get()).as("magic byte").isEqualTo((byte) 0);
    int id = buffer.getInt();
    String writer = RegistryHttp.get(url + "/schemas/ids/" + id).body().path("schema").asText();
    Schema schema = new Schema.Parser().parse(writer);
    return new GenericDatumReader<GenericRecord>(schema)
        .read(
            null,
            DecoderFactory.get()
                .binaryDecoder(payload, buffer.position(), buffer.remaining(), null));
  }

  private static byte[] encode(int id, GenericRecord record) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0);
    out.write(ByteBuffer.allocate(4).putInt(id).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
    new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, encoder);
    encoder.flush();
    return out.toByteArray();
  }

  /** Runs the contract script with Node and returns the JSON it prints. */
  private static JsonNode node(String url, String... args) throws Exception {
    assumeTrue(onPath("node"), "node is not installed");
    assertThat(SCRIPT_DIR.resolve("node_modules/@confluentinc/schemaregistry"))
        .as("Confluent's client; .ci/install runs npm ci in %s", SCRIPT_DIR.toAbsolutePath())
        .isDirectory();
    List<String> command = new ArrayList<>(List.of("node", "contract.js", url));
    command.addAll(List.of(args));
    Path err = Files.createTempFile("contract", ".err");
    Process p =
        new ProcessBuilder(command)
            .directory(SCRIPT_DIR.toFile())
            .redirectError(err.toFile())
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean done = p.waitFor(2, TimeUnit.MINUTES);
    if (!done) p.destroyForcibly();
    String stderr = Files.readString(err);
    Files.deleteIfExists(err);
    assertThat(done && p.exitValue() == 0)
        .as("node contract.js %s failed:%n%s%n%s", args[0], stderr, out)
        .isTrue();
    return RegistryHttp.JSON.readTree(out);
  }

  private static boolean onPath(String program) {
    String path = System.getenv().getOrDefault("PATH", "");
    for (String dir : path.split(java.io.File.pathSeparator))
      if (Files.isExecutable(Path.of(dir, program))) return true;
    return false;
  }
}
