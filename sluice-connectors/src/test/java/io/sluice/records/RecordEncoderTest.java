package io.sluice.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class RecordEncoderTest {
  private static void assertEncodesAsGenericRecord(GenericRecord generic, RecordType type)
      throws Exception {
    Schema schema = type.schema();
    RecordEncoder encoder = RecordEncoder.of(schema);
    Object[] values = new Object[schema.getFields().size()];
    for (Schema.Field f : schema.getFields()) values[f.pos()] = generic.get(f.pos());

    assertThat(encoder.avro(42, values)).isEqualTo(ConfluentWire.encode(42, generic));
    assertThat(new String(encoder.json(values), "UTF-8"))
        .isEqualTo(new String(JsonRecords.encode(generic), "UTF-8"));
    assertThat(RecordWriter.of(RecordFormat.JSON, type, "topic", null).write(generic))
        .isEqualTo(JsonRecords.encode(generic));
    assertThat(ConfluentWire.decode(encoder.avro(42, values), schema, schema)).isEqualTo(generic);
  }

  @Test
  void aUserIsWrittenByteForByteAsItsGenericRecord() throws Exception {
    assertEncodesAsGenericRecord(RecordFixtures.user(), RecordType.USER);
    GenericRecord sparse =
        RecordBuilder.of(RecordType.USER)
            .set("schema_version", 1)
            .set("id", "id-1")
            .set("first_name", "A")
            .set("email", "a@b")
            .set("fetched_at", RecordFixtures.FETCHED)
            .build();
    assertEncodesAsGenericRecord(sparse, RecordType.USER);
  }

  @Test
  void javaValuesAreWrittenAsTheirAvroValues() {
    RecordEncoder encoder = RecordEncoder.of(RecordType.USER.schema());
    GenericRecord user = RecordFixtures.user();
    Object[] values = encoder.newValues();
    for (int i = 0; i < values.length; i++) values[i] = user.get(i);
    values[encoder.position("dob")] = Instant.parse("1975-06-01T08:30:00Z");
    values[encoder.position("fetched_at")] = RecordFixtures.FETCHED;
    assertThat(encoder.avro(7, values)).isEqualTo(ConfluentWire.encode(7, user));
    assertThat(encoder.json(values)).isEqualTo(JsonRecords.encode(user));
  }

  @Test
  void weatherWithMapsNullValuesAndDatesIsWrittenAsItsGenericRecord() throws Exception {
    assertEncodesAsGenericRecord(RecordFixtures.hourly(), RecordType.HOURLY_WEATHER);
    assertEncodesAsGenericRecord(RecordFixtures.daily(), RecordType.DAILY_WEATHER);
  }
}
