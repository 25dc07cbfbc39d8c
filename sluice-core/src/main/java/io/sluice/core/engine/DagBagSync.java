package io.sluice.core.engine;

import io.sluice.core.model.ImportError;
import io.sluice.core.store.MetadataStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a DAG bag to the metadata database: a row per DAG (those gone are marked inactive) and the
 * import errors of each source. Only a scheduler does this; the read commands parse and print.
 */
final class DagBagSync {
  private DagBagSync() {}

  static void write(MetadataStore store, DagBag bag, Instant now) {
    store.inTransaction(
        tx -> {
          List<String> ids = new ArrayList<>();
          for (DagBag.Entry e : bag.entries()) {
            ids.add(e.dag().dagId());
            tx.upsertDag(e.record(now));
          }
          tx.markActive(ids);
          Map<String, List<ImportError>> bySource = new LinkedHashMap<>();
          for (String s : bag.sources()) bySource.put(s, new ArrayList<>());
          for (ImportError err : bag.importErrors())
            bySource.computeIfAbsent(err.source(), k -> new ArrayList<>()).add(err);
          bySource.forEach(tx::replaceImportErrors);
          tx.retainImportErrors(bySource.keySet());
          return null;
        });
  }
}
