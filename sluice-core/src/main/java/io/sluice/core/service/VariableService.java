package io.sluice.core.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.core.store.MetadataStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Variables in and out of files, in the JSON that Airflow's {@code variables import} and {@code
 * variables export} read and write: one object, {@code {"key": value, ...}}. A value that is JSON
 * (an object, a list, a number) is exported as that JSON, any other as a string; on import a string
 * is stored as it is, any other value as its JSON, and {@code {"value": v, "description": d}} sets
 * the description too.
 */
public final class VariableService {
  /** What an import does with a key that exists already. */
  public enum OnExisting {
    overwrite,
    skip,
    fail
  }

  private final MetadataStore store;

  public VariableService(MetadataStore store) {
    this.store = store;
  }

  /** Every variable, with its real value, as Airflow's export file. */
  public String exportJson() {
    ObjectNode out = TransferJson.MAPPER.createObjectNode();
    Map<String, String> vars = store.inTransaction(tx -> tx.variables());
    for (String key : new TreeSet<>(vars.keySet())) out.set(key, exported(vars.get(key)));
    return TransferJson.write(out);
  }

  /** How many variables there are. */
  public int count() {
    return store.inTransaction(tx -> tx.variables()).size();
  }

  /**
   * Writes the variables of an export file, in one transaction.
   *
   * @throws ServiceException INVALID when the file is not one JSON object, CONFLICT with {@code
   *     fail} when any key exists (then nothing is written)
   */
  public ImportResult importJson(String json, OnExisting onExisting) {
    ObjectNode in = TransferJson.object(json, "variables");
    return store.inTransaction(
        tx -> {
          List<String> existing = new ArrayList<>();
          in.fieldNames()
              .forEachRemaining(
                  k -> {
                    if (tx.variable(k).isPresent()) existing.add(k);
                  });
          if (onExisting == OnExisting.fail && !existing.isEmpty())
            throw ServiceException.conflict("these variables exist already: " + existing);
          List<String> imported = new ArrayList<>();
          List<String> skipped = new ArrayList<>();
          var fields = in.fields();
          while (fields.hasNext()) {
            var f = fields.next();
            if (onExisting == OnExisting.skip && existing.contains(f.getKey())) {
              skipped.add(f.getKey());
              continue;
            }
            JsonNode v = f.getValue();
            String description = null;
            if (v.isObject() && v.has("value")) {
              description = v.hasNonNull("description") ? v.get("description").asText() : null;
              v = v.get("value");
            }
            tx.setVariable(f.getKey(), TransferJson.text(v), description);
            imported.add(f.getKey());
          }
          return new ImportResult(imported, skipped, in.size());
        });
  }

  private static JsonNode exported(String value) {
    try {
      JsonNode n = TransferJson.MAPPER.readTree(value);
      // why: a string stays the stored text, so that import gives back exactly what was stored
      if (n != null && !n.isMissingNode() && !n.isTextual() && n.toString().equals(value.strip()))
        return n;
    } catch (Exception e) {
      // not JSON: exported as a string
    }
    return TransferJson.MAPPER.getNodeFactory().textNode(value);
  }
}
