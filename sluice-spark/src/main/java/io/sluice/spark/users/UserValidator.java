package io.sluice.spark.users;

import io.sluice.ingest.record.User;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The rules a decoded user must satisfy before it reaches a table: required fields present, ids,
 * e-mails and the post-code HMAC well formed, dates plausible. Thread-safe.
 */
public final class UserValidator {
  private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
  private static final Pattern HMAC_HEX = Pattern.compile("[0-9a-f]{64}");

  private UserValidator() {}

  /** The problems of {@code user}, empty when it is valid. */
  public static List<String> problems(User user) {
    List<String> problems = new ArrayList<>();
    if (user.schemaVersion() != User.SCHEMA_VERSION)
      problems.add("schema_version " + user.schemaVersion() + " is not " + User.SCHEMA_VERSION);
    if (blank(user.id())) problems.add("id is missing");
    else if (!isUuid(user.id())) problems.add("id is not a UUID: " + user.id());
    if (blank(user.firstName())) problems.add("first_name is missing");
    if (blank(user.lastName())) problems.add("last_name is missing");
    if (blank(user.username())) problems.add("username is missing");
    if (blank(user.email())) problems.add("email is missing");
    else if (!EMAIL.matcher(user.email()).matches() && !user.email().contains("*"))
      problems.add("email is malformed");
    if (blank(user.postCode())) problems.add("post_code is missing");
    else if (!HMAC_HEX.matcher(user.postCode()).matches())
      problems.add("post_code is not an HMAC-SHA256 hex digest (raw post codes are refused)");
    if (user.registeredDate() == null) problems.add("registered_date is missing");
    if (user.fetchedAt() == null) problems.add("fetched_at is missing");
    if (blank(user.source())) problems.add("source is missing");
    Instant horizon = user.fetchedAt() != null ? user.fetchedAt() : Instant.now();
    if (user.dob() != null && user.dob().isAfter(horizon)) problems.add("dob is after fetched_at");
    return problems;
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
