package io.sluice.spark.users;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.records.RecordType;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericRecordBuilder;
import org.junit.jupiter.api.Test;

class UserValidatorTest {
  static final String HMAC = "a".repeat(64);

  static GenericRecord user(String id, String email, String postCode, Instant dob) {
    return new GenericRecordBuilder(RecordType.USER.schema())
        .set("schema_version", 1)
        .set("id", id)
        .set("first_name", "Ann")
        .set("last_name", "Lee")
        .set("post_code", postCode)
        .set("email", email)
        .set("username", "ann")
        .set("dob", dob == null ? null : dob.toEpochMilli())
        .set("registered_date", Instant.parse("2020-01-01T00:00:00Z").toEpochMilli())
        .set("source", "randomuser")
        .set("fetched_at", Instant.parse("2024-05-01T00:00:00Z").toEpochMilli())
        .build();
  }

  @Test
  void acceptsAWellFormedUser() {
    assertThat(
            UserValidator.problems(
                user(
                    "6f1c2b1e-8a4d-4b6e-9c1a-0d2e3f4a5b6c",
                    "ann@example.org",
                    HMAC,
                    Instant.parse("1990-01-01T00:00:00Z"))))
        .isEmpty();
  }

  @Test
  void reportsEveryProblemOfABadUser() {
    assertThat(
            UserValidator.problems(
                user("42", "not-an-email", "97201", Instant.parse("2030-01-01T00:00:00Z"))))
        .containsExactly(
            "id is not a UUID: 42",
            "email is malformed",
            "post_code is not an HMAC-SHA256 hex digest (raw post codes are refused)",
            "dob is after fetched_at");
  }

  @Test
  void acceptsAMaskedEmail() {
    assertThat(
            UserValidator.problems(
                user("6f1c2b1e-8a4d-4b6e-9c1a-0d2e3f4a5b6c", "a***@example.org", HMAC, null)))
        .isEmpty();
  }

  @Test
  void checksEmailsAndDigestsAsTheirPatternsWould() {
    Pattern email = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    Pattern hex = Pattern.compile("[0-9a-f]{64}");
    List<String> emails =
        List.of(
            "ann@example.org",
            "a.b@c.d",
            "a@b.c.",
            "a@.b",
            "a@b.",
            "a@.b.c",
            "@b.c",
            "a@@b.c",
            "a@b@c.d",
            "a.b@c",
            "a b@c.d",
            "a@b.c\n",
            "a\u000Bb@c.d",
            "a@b..c",
            "a@b",
            "",
            "a@b.c d",
            "ann\u00e9@exampl\u00e9.org");
    for (String e : emails)
      assertThat(UserValidator.isEmail(e)).as(e).isEqualTo(email.matcher(e).matches());
    List<String> digests =
        List.of(HMAC, "0123456789abcdef".repeat(4), "A".repeat(64), "a".repeat(63), "g" + HMAC);
    for (String d : digests)
      assertThat(UserValidator.isHmacHex(d)).as(d).isEqualTo(hex.matcher(d).matches());
  }
}
