package io.sluice.core.testing;

import io.sluice.core.model.DagRecord;
import io.sluice.core.model.DagRun;
import io.sluice.core.model.ImportError;
import io.sluice.core.model.Lease;
import io.sluice.core.model.Pool;
import io.sluice.core.model.RenderedFields;
import io.sluice.core.model.TaskInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything the {@link InMemoryStore} holds; copied at the start of a transaction so that a failed
 * one rolls back.
 */
final class InMemoryState {
  final Map<String, DagRecord> dags = new TreeMap<>();
  final Map<String, DagRun> runs = new TreeMap<>();
  final Map<String, TaskInstance> tasks = new TreeMap<>();
  final Map<String, String> xcoms = new TreeMap<>();
  final Map<String, String> variables = new TreeMap<>();
  final Map<String, List<String>> logs = new TreeMap<>();
  final Map<String, RenderedFields> rendered = new TreeMap<>();
  final Map<String, List<ImportError>> errors = new TreeMap<>();
  final Map<String, Pool> pools = new TreeMap<>();
  final Map<String, Lease> leases = new TreeMap<>();
  InMemoryBackfills backfills = new InMemoryBackfills();

  InMemoryState() {
    pools.put("default_pool", new Pool("default_pool", 128, "Default pool"));
  }

  InMemoryState copy() {
    InMemoryState c = new InMemoryState();
    c.dags.putAll(dags);
    c.runs.putAll(runs);
    c.tasks.putAll(tasks);
    c.xcoms.putAll(xcoms);
    c.variables.putAll(variables);
    logs.forEach((k, v) -> c.logs.put(k, new ArrayList<>(v)));
    c.rendered.putAll(rendered);
    c.errors.putAll(errors);
    c.pools.putAll(pools);
    c.leases.putAll(leases);
    c.backfills = backfills.copy();
    return c;
  }

  /** A map key of {@code parts}; a prefix of it selects everything under them. */
  static String key(String... parts) {
    return String.join("\u0000", parts) + "\u0000";
  }
}
