package io.sluice.web.api.v2;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import io.sluice.web.api.ApiException;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Airflow's {@code update_mask} on PATCH: the fields to change, named in the query (repeated or
 * comma-separated); without one, every field the body carries.
 */
final class UpdateMask {
  private final Set<String> fields;

  private UpdateMask(Set<String> fields) {
    this.fields = fields;
  }

  static UpdateMask of(Context ctx, JsonNode body, Set<String> allowed) {
    Set<String> fields = new LinkedHashSet<>();
    for (String p : ctx.queryParams("update_mask"))
      for (String f : p.split(",")) if (!f.isBlank()) fields.add(f.trim());
    if (fields.isEmpty()) body.fieldNames().forEachRemaining(fields::add);
    for (String f : fields)
      if (!allowed.contains(f))
        throw ApiException.badRequest(
            "Invalid field `" + f + "` in update mask; allowed: " + allowed);
    return new UpdateMask(fields);
  }

  boolean has(String field) {
    return fields.contains(field);
  }
}
