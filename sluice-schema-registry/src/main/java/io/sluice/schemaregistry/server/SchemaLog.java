package io.sluice.schemaregistry.server;

import java.util.List;
import java.util.function.Consumer;

/**
 * The registry's state as an ordered log of keyed records, the way Confluent keeps it in {@code
 * _schemas}: every registry instance applies the same records in the same order, so all agree.
 * Called by {@link SchemaRegistry} under its lock, from one thread at a time.
 */
public interface SchemaLog extends AutoCloseable {
  /** One record; a null {@code value} is a tombstone that removes {@code key}. */
  record Entry(String key, String value) {}

  /**
   * Applies, in order, every record appended since the last call, up to the end of the log as it is
   * now (committed writes of every instance).
   *
   * @throws RegistryException 50001 when the log cannot be read
   */
  void readToEnd(Consumer<Entry> apply);

  /**
   * Appends {@code entries} atomically, but only if no other writer has appended since this
   * instance's last {@link #readToEnd}; the caller then reads to the end again.
   *
   * @return false when another writer came first, or the write failed: the caller reads to the end
   *     and decides again (a write whose commit was in doubt is then found in the log, or not)
   */
  boolean appendIfCurrent(List<Entry> entries);

  @Override
  void close();
}
