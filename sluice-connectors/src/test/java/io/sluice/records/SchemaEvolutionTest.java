package io.sluice.records;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ingest.openmeteo.OpenMeteoParser;
import io.sluice.ingest.openmeteo.ParsedWeather;
import io.sluice.ingest.privacy.Privacy;
import io.sluice.ingest.randomuser.SourceUser;
import io.sluice.ingest.randomuser.UserMapper;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An optional field added to a record type by one new {@code .avsc} in the schemas directory, and
 * nothing else: every producer and reader derived from the schema carries it, and records of the
 * older schema read with the field null.
 */
class SchemaEvolutionTest {
  private static final Instant FETCHED = Instant.parse("2024-03-15T21:00:00Z");

  @AfterEach
  void forgetTheEvolvedSchemas() {
    System.clearProperty(RecordType.DIR_PROPERTY);
    RecordType.reload();
  }

  private static void evolve(Path dir, RecordType type, String field) throws Exception {
    Schema current = type.schema();
    String json = current.toString(true);
    int end = json.lastIndexOf(']');
    String evolved =
        json.substring(0, end)
            + ",{\"name\":\""
            + field
            + "\",\"type\":[\"null\",\"string\"],\"default\":null}"
            + json.substring(end);
    Path file = dir.resolve(type.schemaName()).resolve("v" + (type.version() + 1) + ".avsc");
    Files.createDirectories(file.getParent());
    Files.writeString(file, evolved);
    System.setProperty(RecordType.DIR_PROPERTY, dir.toString());
    RecordType.reload();
  }

  @Test
  void ingestedUsersCarryTheNewFieldAndOldRecordsReadItAsNull(@TempDir Path dir) throws Exception {
    byte[] old = JsonRecords.encode(RecordFixtures.user());
    evolve(dir, RecordType.USER, "nickname");

    assertThat(RecordType.USER.version()).isEqualTo(2);
    assertThat(RecordType.USER.schema().getField("nickname")).isNotNull();
    RecordWriter writer = RecordWriter.of(RecordFormat.JSON, RecordType.USER, "users", null);
    var mapper = new UserMapper(new Privacy(new byte[32], false), "run-1", writer.encoder());
    SourceUser source =
        new SourceUser(
            "0f8b7e46-8c1f-4a55-9d2e-3a8e2b1c9d10",
            "Ann",
            "Lee",
            "female",
            "1 Main St",
            "12345",
            "ann@example.com",
            "ann",
            null,
            null,
            null,
            null,
            "GB");
    String json =
        new String(writer.write(mapper.toValues(source, FETCHED)), StandardCharsets.UTF_8);
    assertThat(json).contains("\"first_name\":\"Ann\"").endsWith(",\"nickname\":null}");

    GenericRecord oldRead = new RecordReader(RecordType.USER, null).read(old);
    assertThat(oldRead.getSchema().getField("nickname")).isNotNull();
    assertThat(oldRead.get("nickname")).isNull();
    assertThat(oldRead.get("first_name")).hasToString("Zoë");
  }

  @Test
  void parsedWeatherCarriesTheNewField(@TempDir Path dir) throws Exception {
    evolve(dir, RecordType.HOURLY_WEATHER, "station");
    evolve(dir, RecordType.DAILY_WEATHER, "station");

    byte[] body;
    try (InputStream in = getClass().getResourceAsStream("/fixtures/openmeteo/single.json")) {
      body = in.readAllBytes();
    }
    ParsedWeather w =
        new OpenMeteoParser("run-1", List.of(new double[] {52.52, 13.41})).parse(body, FETCHED);
    GenericRecord hour = w.hourly().get(0).record();
    assertThat(hour.getSchema()).isEqualTo(RecordType.HOURLY_WEATHER.schema());
    assertThat(hour.get("station")).isNull();
    assertThat(w.daily().get(0).record().getSchema().getField("station")).isNotNull();
    String json =
        new String(
            RecordWriter.of(RecordFormat.JSON, RecordType.HOURLY_WEATHER, "w", null).write(hour),
            StandardCharsets.UTF_8);
    assertThat(json).contains("\"station\":null");
  }
}
