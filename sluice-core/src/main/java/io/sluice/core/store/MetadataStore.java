package io.sluice.core.store;

/**
 * The metadata database. Every read and write happens inside {@link #inTransaction}, so that the
 * scheduler can record a task's outcome and queue its downstream tasks atomically.
 *
 * <p>Implementations are thread-safe; each call of {@link #inTransaction} uses its own connection.
 */
public interface MetadataStore extends AutoCloseable {
  /**
   * Runs {@code work} in one transaction: committed when it returns, rolled back when it throws
   * (the exception is rethrown). Blocking.
   */
  <T> T inTransaction(TransactionWork<T> work);

  /**
   * Runs {@code work} that makes a single statement, which is atomic by itself: a store may run it
   * without a transaction around it (auto-commit), saving the commit's round trip. Work that may
   * make more than one statement belongs in {@link #inTransaction}.
   */
  default <T> T inStatement(TransactionWork<T> work) {
    return inTransaction(work);
  }

  /** Applies pending schema migrations. */
  void migrate();

  /** Drops every table and migrates again. Destroys all metadata. */
  void reset();

  /** A one-line description of the database and its schema version, for {@code sluice db check}. */
  String describe();

  @Override
  void close();

  /** Work done within a transaction. */
  @FunctionalInterface
  interface TransactionWork<T> {
    T run(StoreTransaction tx);
  }
}
