package io.sluice.api;

import java.util.List;

/**
 * Supplies compiled DAGs. Implementations are found with {@link java.util.ServiceLoader} (list the
 * class in {@code META-INF/services/io.sluice.api.DagProvider}); {@link #dags()} is called once
 * when the scheduler or CLI starts, never again, so DAGs are not re-parsed. An exception is
 * reported as an import error of this provider and does not affect other DAGs.
 */
public interface DagProvider {
  List<Dag> dags();
}
