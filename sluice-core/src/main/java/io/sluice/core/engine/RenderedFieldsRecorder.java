package io.sluice.core.engine;

import io.sluice.core.secrets.Masking;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The template fields one try rendered, by field name, as the task used them: what {@code
 * rendered_fields} and {@code sluice tasks render} show. Secrets a template read (a connection's
 * password, a variable with a sensitive name) and {@code password=...} pairs are masked, and a
 * value longer than {@link #MAX_LENGTH} characters is cut, as Airflow's {@code
 * max_templated_field_length} does.
 */
final class RenderedFieldsRecorder {
  /** The longest value kept, in characters. */
  static final int MAX_LENGTH = 4096;

  static final String TRUNCATED = "... (truncated to " + MAX_LENGTH + " characters)";

  private final Map<String, String> fields = new LinkedHashMap<>();
  private final Set<String> secrets = new LinkedHashSet<>();

  /** Masks {@code value} wherever a rendered field contains it. */
  void secret(String value) {
    if (value != null && !value.isEmpty()) secrets.add(value);
  }

  void record(String field, String value) {
    if (field == null || field.isBlank()) return;
    fields.put(field, value);
  }

  /** The fields in the order first rendered, secrets masked and long values cut. */
  Map<String, String> fields() {
    Map<String, String> out = new LinkedHashMap<>();
    fields.forEach((k, v) -> out.put(k, shown(k, v)));
    return out;
  }

  private String shown(String field, String value) {
    if (value == null) return null;
    String v = value;
    for (String s : secrets) v = v.replace(s, Masking.MASK);
    v = Masking.value(field, v);
    return v.length() > MAX_LENGTH ? v.substring(0, MAX_LENGTH) + TRUNCATED : v;
  }
}
