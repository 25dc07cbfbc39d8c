package io.sluice.web.pipeline;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks the personal fields of a record's JSON text (e-mail, date of birth, phone, post code and
 * their usual spellings) for users who may read the pipeline but not its people: viewers see {@code
 * "***"} in their place. Works on text, so that a value cut short for display is masked too.
 */
public final class PersonalFields {
  private static final Pattern FIELD =
      Pattern.compile(
          "(\"(?:email|e_mail|dob|date_of_birth|birth_date|phone|cell|mobile|post_code|postcode"
              + "|postal_code|zip|zip_code)\"\\s*:\\s*)"
              // why: a string (escapes included), a number, or a flat object such as {"date": ..}
              + "(\"(?:[^\"\\\\]|\\\\.)*\"?|-?[0-9][0-9.eE+-]*|\\{[^{}]*\\}?)",
          Pattern.CASE_INSENSITIVE);

  private PersonalFields() {}

  /** The text with every personal field's value replaced by {@code "***"}; null stays null. */
  public static String mask(String json) {
    if (json == null) return null;
    Matcher m = FIELD.matcher(json);
    StringBuilder out = new StringBuilder();
    while (m.find()) m.appendReplacement(out, Matcher.quoteReplacement(m.group(1) + "\"***\""));
    m.appendTail(out);
    return out.toString();
  }
}
