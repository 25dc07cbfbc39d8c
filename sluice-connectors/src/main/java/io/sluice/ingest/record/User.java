package io.sluice.ingest.record;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.UUID;

/**
 * One ingested user, as published on the {@code users_created} topic (key = {@link #id()}). The
 * fields are exactly the seeds' fields plus provenance; {@code post_code} holds an HMAC, never the
 * raw code.
 */
@JsonPropertyOrder({
  "schema_version",
  "id",
  "first_name",
  "last_name",
  "gender",
  "address",
  "post_code",
  "email",
  "username",
  "dob",
  "registered_date",
  "phone",
  "picture",
  "source",
  "fetched_at",
  "run_id"
})
public record User(
    @JsonProperty("schema_version") int schemaVersion,
    @JsonProperty("id") String id,
    @JsonProperty("first_name") String firstName,
    @JsonProperty("last_name") String lastName,
    @JsonProperty("gender") String gender,
    @JsonProperty("address") String address,
    @JsonProperty("post_code") String postCode,
    @JsonProperty("email") String email,
    @JsonProperty("username") String username,
    @JsonProperty("dob") Instant dob,
    @JsonProperty("registered_date") Instant registeredDate,
    @JsonProperty("phone") String phone,
    @JsonProperty("picture") String picture,
    @JsonProperty("source") String source,
    @JsonProperty("fetched_at") Instant fetchedAt,
    @JsonProperty("run_id") String runId) {

  public static final int SCHEMA_VERSION = 1;
  public static final String SOURCE = "randomuser";

  // why: a fixed namespace makes UUIDv5 ids stable across runs, machines and versions
  private static final UUID NAMESPACE = UUID.fromString("7d3c2a5e-4f0b-5c8e-9a61-2b7f1d9e6c40");

  /** The Kafka key of this record. */
  public String key() {
    return id;
  }

  /**
   * The id of a source user: its {@code login.uuid} when present, otherwise a UUIDv5 of the source
   * record, so that a retried fetch cannot mint a new id.
   */
  public static String deterministicId(String loginUuid, byte[] sourceRecord) {
    if (loginUuid != null && !loginUuid.isBlank()) return loginUuid.trim();
    return uuidV5(NAMESPACE, sourceRecord).toString();
  }

  /** A name-based UUID (RFC 4122 version 5, SHA-1). */
  public static UUID uuidV5(UUID namespace, byte[] name) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      sha1.update(toBytes(namespace));
      byte[] hash = sha1.digest(name);
      hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
      hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
      long msb = 0;
      long lsb = 0;
      for (int i = 0; i < 8; i++) msb = (msb << 8) | (hash[i] & 0xff);
      for (int i = 8; i < 16; i++) lsb = (lsb << 8) | (hash[i] & 0xff);
      return new UUID(msb, lsb);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every JDK", e);
    }
  }

  /** A UUIDv5 of a text name. */
  public static UUID uuidV5(UUID namespace, String name) {
    return uuidV5(namespace, name.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] toBytes(UUID uuid) {
    byte[] b = new byte[16];
    long msb = uuid.getMostSignificantBits();
    long lsb = uuid.getLeastSignificantBits();
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (msb >>> (56 - 8 * i));
      b[8 + i] = (byte) (lsb >>> (56 - 8 * i));
    }
    return b;
  }
}
