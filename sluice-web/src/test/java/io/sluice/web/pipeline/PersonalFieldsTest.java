package io.sluice.web.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PersonalFieldsTest {
  @Test
  void masksEmailBirthDatePhoneAndPostCodeButKeepsTheRest() {
    String user =
        "{\"id\": \"u1\", \"first_name\": \"Ada\", \"email\": \"ada@example.org\","
            + " \"dob\": {\"date\": \"1990-01-02\", \"age\": 34}, \"phone\": \"(555) 123\\\"4\","
            + " \"post_code\": 12345, \"Cell\": \"+351 91\"}";
    String masked = PersonalFields.mask(user);
    assertThat(masked)
        .doesNotContain("ada@example.org", "1990-01-02", "555", "12345", "+351")
        .contains(
            "\"first_name\": \"Ada\"",
            "\"email\": \"***\"",
            "\"dob\": \"***\"",
            "\"post_code\": \"***\"",
            "\"Cell\": \"***\"");
  }

  @Test
  void aValueCutShortIsMaskedToo() {
    assertThat(PersonalFields.mask("{\"id\": 1, \"email\": \"ada@exa…"))
        .isEqualTo("{\"id\": 1, \"email\": \"***\"");
    assertThat(PersonalFields.mask(null)).isNull();
  }
}
