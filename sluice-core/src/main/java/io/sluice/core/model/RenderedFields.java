package io.sluice.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The template fields one try of a task instance rendered, by field name in the order the task
 * rendered them, each as the task used it (secrets masked).
 */
public record RenderedFields(
    String dagId, String runId, String taskId, int tryNumber, Map<String, String> fields) {
  public RenderedFields {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }
}
