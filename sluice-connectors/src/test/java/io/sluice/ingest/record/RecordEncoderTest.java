package io.sluice.ingest.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.records.ConfluentWire;
import io.sluice.records.JavaRecords;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordEncoder;
import io.sluice.records.RecordFormat;
import io.sluice.records.RecordType;
import io.sluice.records.RecordWriter;
import java.lang.reflect.RecordComponent;
import java.time.Instant;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

class RecordEncoderTest {
  private static final Instant FETCHED = Instant.parse("2024-03-15T21:00:00.123456Z");

  /** The record's values by schema position, as Java values (Instant, LocalDate, maps). */
  private static Object[] javaValues(Record record, RecordEncoder encoder) throws Exception {
    Object[] values = encoder.newValues();
    for (RecordComponent c : record.getClass().getRecordComponents()) {
      int pos = encoder.position(c.getAccessor().getAnnotation(JsonProperty.class).value());
      if (pos >= 0) values[pos] = c.getAccessor().invoke(record);
    }
    return values;
  }

  private static void assertEncodesAsGenericRecord(Record record, RecordType type)
      throws Exception {
    Schema schema = type.schema();
    RecordEncoder encoder = RecordEncoder.of(schema);
    GenericRecord generic = JavaRecords.toAvro(record, schema);
    Object[] avroValues = new Object[schema.getFields().size()];
    for (Schema.Field f : schema.getFields()) avroValues[f.pos()] = generic.get(f.pos());

    for (Object[] values : new Object[][] {javaValues(record, encoder), avroValues}) {
      assertThat(encoder.avro(42, values)).isEqualTo(ConfluentWire.encode(42, generic));
      assertThat(new String(encoder.json(values), "UTF-8"))
          .isEqualTo(new String(JsonRecords.encode(generic), "UTF-8"));
    }
    assertThat(RecordWriter.of(RecordFormat.JSON, type, "topic", null).write(generic))
        .isEqualTo(JsonRecords.encode(generic));
    byte[] wire = encoder.avro(42, javaValues(record, encoder));
    assertThat(ConfluentWire.decode(wire, schema, schema)).isEqualTo(generic);
  }

  @Test
  void aUserIsWrittenByteForByteAsItsGenericRecord() throws Exception {
    User full = RecordCodecTest.user();
    assertEncodesAsGenericRecord(full, RecordType.USER);
    var sparse =
        new User(
            1, "id-1", "A", "B", null, null, null, "a@b", null, null, null, null, null, null,
            FETCHED, "run");
    assertEncodesAsGenericRecord(sparse, RecordType.USER);
  }

  @Test
  void weatherWithMapsNullValuesAndDatesIsWrittenAsItsGenericRecord() throws Exception {
    assertEncodesAsGenericRecord(RecordCodecTest.hourly(), RecordType.HOURLY_WEATHER);
    assertEncodesAsGenericRecord(RecordCodecTest.daily(), RecordType.DAILY_WEATHER);
  }
}
