package io.sluice.core.service;

import io.sluice.api.TaskSpec;
import io.sluice.core.model.Pool;
import io.sluice.core.store.MetadataStore;
import io.sluice.core.store.StoreTransaction;
import java.util.List;

/**
 * Pools, as Airflow's {@code pools} commands manage them: named numbers of slots that limit how
 * many tasks run at once across DAGs. A pool of -1 slots is unlimited.
 */
public final class PoolService {
  private final MetadataStore store;

  public PoolService(MetadataStore store) {
    this.store = store;
  }

  /** Every pool, by name. */
  public List<PoolView> list() {
    return store.inTransaction(tx -> tx.pools().stream().map(p -> view(tx, p)).toList());
  }

  /**
   * Creates a pool or changes its slots and description.
   *
   * @throws ServiceException INVALID for a bad name or fewer than -1 slots
   */
  public PoolView set(String name, int slots, String description) {
    if (name == null || !name.matches("[A-Za-z0-9_.\\-]{1,250}"))
      throw ServiceException.invalid(
          "pool name '" + name + "': use 1 to 250 letters, digits or _ . -");
    if (slots < -1)
      throw ServiceException.invalid("a pool has 0 or more slots (-1 for unlimited), not " + slots);
    return store.inTransaction(
        tx -> {
          Pool p = new Pool(name, slots, description);
          tx.upsertPool(p);
          return view(tx, p);
        });
  }

  /**
   * Deletes a pool.
   *
   * @throws ServiceException NOT_FOUND for an unknown pool, CONFLICT for {@code default_pool} and
   *     for a pool whose slots queued or running tasks take
   */
  public void delete(String name) {
    if (TaskSpec.DEFAULT_POOL.equals(name))
      throw ServiceException.conflict(TaskSpec.DEFAULT_POOL + " cannot be deleted");
    store.inTransaction(
        tx -> {
          if (tx.pool(name).isEmpty())
            throw ServiceException.notFound("pool '" + name + "' not found");
          int used = tx.usedPoolSlots(name);
          if (used > 0)
            throw ServiceException.conflict(
                "pool '" + name + "' has " + used + " slot(s) taken by queued or running tasks");
          return tx.deletePool(name);
        });
  }

  private static PoolView view(StoreTransaction tx, Pool p) {
    return new PoolView(p.name(), p.slots(), tx.usedPoolSlots(p.name()), p.description());
  }
}
