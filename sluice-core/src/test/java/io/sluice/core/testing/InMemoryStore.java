package io.sluice.core.testing;

import io.sluice.core.store.MetadataStore;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A {@link MetadataStore} in memory, for the engine's tests (JobRunr's {@code
 * InMemoryStorageProvider} is the model). One transaction at a time, under one lock, so every lock
 * a transaction asks for is granted; a transaction that throws leaves the store as it found it. The
 * JDBC store's contract tests pin down the same behaviour on H2 and PostgreSQL.
 */
public final class InMemoryStore implements MetadataStore {
  private final ReentrantLock lock = new ReentrantLock();
  private InMemoryState state = new InMemoryState();

  @Override
  public <T> T inTransaction(TransactionWork<T> work) {
    lock.lock();
    try {
      if (lock.getHoldCount() > 1) return work.run(new InMemoryTransaction(state));
      InMemoryState before = state;
      state = before.copy();
      try {
        return work.run(new InMemoryTransaction(state));
      } catch (RuntimeException | Error e) {
        state = before;
        throw e;
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void migrate() {}

  @Override
  public void reset() {
    lock.lock();
    try {
      state = new InMemoryState();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public String describe() {
    return "in-memory metadata store";
  }

  @Override
  public void close() {}
}
