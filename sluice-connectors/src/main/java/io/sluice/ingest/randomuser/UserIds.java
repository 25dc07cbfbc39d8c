package io.sluice.ingest.randomuser;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/** The ids of ingested users, stable across runs: the record's key and Cassandra primary key. */
public final class UserIds {
  // why: a fixed namespace makes UUIDv5 ids stable across runs, machines and versions
  private static final UUID NAMESPACE = UUID.fromString("7d3c2a5e-4f0b-5c8e-9a61-2b7f1d9e6c40");

  private UserIds() {}

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
