package io.sluice.cli;

import io.sluice.ingest.randomuser.UserMapper;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordBuilder;
import io.sluice.records.RecordType;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;

/** Users as the ingest publishes them, every field set, for tests that produce them by hand. */
public final class TestUsers {
  private TestUsers() {}

  /** User {@code i} of run {@code runId}; its id is derived from {@code idPrefix} and {@code i}. */
  public static GenericRecord user(String idPrefix, int i, String runId) {
    return RecordBuilder.of(RecordType.USER)
        .set("schema_version", JsonRecords.MAX_SCHEMA_VERSION)
        .set("id", UUID.nameUUIDFromBytes((idPrefix + i).getBytes(StandardCharsets.UTF_8)))
        .set("first_name", "First" + i)
        .set("last_name", "Last" + i)
        .set("gender", "female")
        .set("address", i + " Main Street, Springfield, Oregon, United States")
        .set("post_code", "%064x".formatted(i))
        .set("email", "user" + i + "@example.com")
        .set("username", "user" + i)
        .set("dob", Instant.parse("1980-01-01T00:00:00Z"))
        .set("registered_date", Instant.parse("2015-01-01T00:00:00Z"))
        .set("phone", "+1-555-" + i)
        .set("picture", "https://randomuser.me/api/portraits/women/" + i % 100 + ".jpg")
        .set("source", UserMapper.SOURCE)
        .set("fetched_at", Instant.parse("2024-05-01T12:00:00Z"))
        .set("run_id", runId)
        .build();
  }
}
