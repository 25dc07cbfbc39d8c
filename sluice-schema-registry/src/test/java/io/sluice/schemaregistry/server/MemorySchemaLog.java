package io.sluice.schemaregistry.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A {@link SchemaLog} in memory, shared by any number of readers: each {@link #reader()} keeps its
 * own position, and an append succeeds only for a reader that has read everything, as with Kafka.
 */
final class MemorySchemaLog {
  private final List<SchemaLog.Entry> entries = new ArrayList<>();

  /** A view with its own read position, as one registry instance has. */
  SchemaLog reader() {
    return new SchemaLog() {
      private int position;

      @Override
      public void readToEnd(Consumer<Entry> apply) {
        synchronized (entries) {
          while (position < entries.size()) apply.accept(entries.get(position++));
        }
      }

      @Override
      public boolean appendIfCurrent(List<Entry> appended) {
        synchronized (entries) {
          if (position != entries.size()) return false;
          entries.addAll(appended);
          return true;
        }
      }

      @Override
      public void close() {}
    };
  }

  List<SchemaLog.Entry> entries() {
    synchronized (entries) {
      return List.copyOf(entries);
    }
  }
}
