package io.sluice.spark.users;

import io.sluice.records.JsonRecords;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;

/**
 * The rules a decoded user must satisfy before it reaches a table: required fields present, ids,
 * e-mails and the post-code HMAC well formed, dates plausible. Thread-safe.
 */
public final class UserValidator {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern HMAC_HEX = Pattern.compile("[0-9a-f]{64}");

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
    else if (!EMAIL.matcher(email).matches() && !email.contains("*"))
      problems.add("email is malformed");
    String postCode = text(user, "post_code");
    if (blank(postCode)) problems.add("post_code is missing");
    else if (!HMAC_HEX.matcher(postCode).matches())
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

  private static boolean isUuid(String s) {
    try {
      return UUID.fromString(s).toString().equalsIgnoreCase(s);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
