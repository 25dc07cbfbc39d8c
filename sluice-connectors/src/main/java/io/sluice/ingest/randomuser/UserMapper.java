package io.sluice.ingest.randomuser;

import io.sluice.ingest.privacy.Privacy;
import io.sluice.records.JsonRecords;
import io.sluice.records.RecordEncoder;
import java.time.Instant;

/**
 * Turns a normalised source user into the values of the published user record, in the order of the
 * user schema's fields ({@link RecordEncoder}), applying the privacy rules. A field the schema
 * lacks is left out; a schema field this mapper does not know keeps its default.
 */
public final class UserMapper {
  /** The {@code source} of every user record. */
  public static final String SOURCE = "randomuser";

  private final Privacy privacy;
  private final String runId;
  private final RecordEncoder encoder;
  private final int schemaVersion;
  private final int id;
  private final int firstName;
  private final int lastName;
  private final int gender;
  private final int address;
  private final int postCode;
  private final int email;
  private final int username;
  private final int dob;
  private final int registered;
  private final int phone;
  private final int picture;
  private final int source;
  private final int fetchedAt;
  private final int run;

  public UserMapper(Privacy privacy, String runId, RecordEncoder encoder) {
    this.privacy = privacy;
    this.runId = runId;
    this.encoder = encoder;
    this.schemaVersion = encoder.position("schema_version");
    this.id = encoder.position("id");
    this.firstName = encoder.position("first_name");
    this.lastName = encoder.position("last_name");
    this.gender = encoder.position("gender");
    this.address = encoder.position("address");
    this.postCode = encoder.position("post_code");
    this.email = encoder.position("email");
    this.username = encoder.position("username");
    this.dob = encoder.position("dob");
    this.registered = encoder.position("registered_date");
    this.phone = encoder.position("phone");
    this.picture = encoder.position("picture");
    this.source = encoder.position("source");
    this.fetchedAt = encoder.position("fetched_at");
    this.run = encoder.position("run_id");
  }

  /** The record's values, for {@link io.sluice.records.RecordWriter#write(Object[])}. */
  public Object[] toValues(SourceUser s, Instant fetched) {
    Object[] v = encoder.newValues();
    set(v, schemaVersion, JsonRecords.MAX_SCHEMA_VERSION);
    set(v, id, s.id());
    set(v, firstName, s.firstName());
    set(v, lastName, s.lastName());
    set(v, gender, s.gender());
    set(v, address, s.address());
    set(v, postCode, privacy.hashPostCode(s.postCode()));
    set(v, email, privacy.email(s.email()));
    set(v, username, s.username());
    set(v, dob, s.dob());
    set(v, registered, s.registered());
    set(v, phone, privacy.phone(s.phone()));
    set(v, picture, s.picture());
    set(v, source, SOURCE);
    set(v, fetchedAt, fetched);
    set(v, run, runId);
    return v;
  }

  private static void set(Object[] values, int position, Object value) {
    if (position >= 0) values[position] = value;
  }
}
