package io.sluice.spark.users;

import io.sluice.records.JsonRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.avro.generic.GenericRecord;

/**
 * The rules a decoded user must satisfy before it reaches a table: required fields present, ids,
 * e-mails and the post-code HMAC well formed, dates plausible. Thread-safe.
 */
public final class UserValidator {
  private UserValidator() {}

  /** The problems of {@code user} (a record of the user schema), empty when it is valid. */
  public static List<String> problems(GenericRecord user) {
    List<String> problems = new ArrayList<>();
    Object version = user.get("schema_version");
    if (!Integer.valueOf(JsonRecords.MAX_SCHEMA_VERSION).equals(version))
      problems.add("schema_version " + version + " is not " + JsonRecords.MAX_SCHEMA_VERSION);
    String id = text(user, "id");
    if (blank(id)) problems.add("id is missing");
    else if (!isUuid(id)) problems.add("id is not a UUID: " + id);
    if (blank(text(user, "first_name"))) problems.add("first_name is missing");
    if (blank(text(user, "last_name"))) problems.add("last_name is missing");
    if (blank(text(user, "username"))) problems.add("username is missing");
    String email = text(user, "email");
    if (blank(email)) problems.add("email is missing");
    else if (!isEmail(email) && !email.contains("*")) problems.add("email is malformed");
    String postCode = text(user, "post_code");
    if (blank(postCode)) problems.add("post_code is missing");
    else if (!isHmacHex(postCode))
      problems.add("post_code is not an HMAC-SHA256 hex digest (raw post codes are refused)");
    Instant fetchedAt = instant(user, "fetched_at");
    if (instant(user, "registered_date") == null) problems.add("registered_date is missing");
    if (fetchedAt == null) problems.add("fetched_at is missing");
    if (blank(text(user, "source"))) problems.add("source is missing");
    Instant horizon = fetchedAt != null ? fetchedAt : Instant.now();
    Instant dob = instant(user, "dob");
    if (dob != null && dob.isAfter(horizon)) problems.add("dob is after fetched_at");
    return problems;
  }

  private static String text(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : v.toString();
  }

  private static Instant instant(GenericRecord r, String field) {
    Object v = r.get(field);
    return v == null ? null : Instant.ofEpochMilli((Long) v);
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /**
   * True when {@code s} matches {@code [^@\s]+@[^@\s]+\.[^@\s]+}: one {@code @} with text before
   * it, and a dot after it with text on both sides, no whitespace.
   *
   * <p>why: checked for every record on the sink's task threads, where the regex's matcher took
   * about a twentieth of the job JVM's samples
   */
  static boolean isEmail(String s) {
    int at = -1;
    boolean dotInDomain = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == ' ' || (c >= '\t' && c <= '\r')) return false;
      if (c == '@') {
        if (at >= 0 || i == 0) return false;
        at = i;
      } else if (c == '.' && at >= 0 && i > at + 1 && i < s.length() - 1) {
        dotInDomain = true;
      }
    }
    return dotInDomain;
  }

  /** True when {@code s} is 64 lower-case hex digits, an HMAC-SHA256 as hex. */
  static boolean isHmacHex(String s) {
    if (s.length() != 64) return false;
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
  }

  private static boolean isUuid(String s) {
    try {
      return UUID.fromString(s).toString().equalsIgnoreCase(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
