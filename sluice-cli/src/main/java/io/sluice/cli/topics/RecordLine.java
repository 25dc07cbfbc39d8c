package io.sluice.cli.topics;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.record.TimestampType;

/**
 * The fields {@code topics consume} prints before a record's value, in the order and notation of
 * Kafka's console consumer ({@code CreateTime:1700000000000 Partition:0 Offset:42 h1:v1,h2:v2
 * key}), each followed by a tab.
 */
final class RecordLine {
  /** The fields a line can show besides the value, in the order they are printed. */
  enum Field {
    TIMESTAMP,
    PARTITION,
    OFFSET,
    HEADERS,
    KEY;

    /** The fields named in a comma-separated list, any case; an unknown name is refused. */
    static Set<Field> parse(String list) {
      Set<Field> fields = EnumSet.noneOf(Field.class);
      if (list == null || list.isBlank()) return fields;
      for (String f : list.split(",")) {
        try {
          fields.add(Field.valueOf(f.trim().toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "unknown field '"
                  + f.trim()
                  + "' in --format; expected timestamp, partition, offset, headers or key");
        }
      }
      return fields;
    }
  }

  private final Set<Field> fields;

  RecordLine(Set<Field> fields) {
    this.fields = fields.isEmpty() ? EnumSet.noneOf(Field.class) : EnumSet.copyOf(fields);
  }

  /** The chosen fields of {@code r}, each followed by a tab; empty when none is chosen. */
  String prefix(ConsumerRecord<byte[], byte[]> r) {
    List<String> parts = new ArrayList<>();
    if (fields.contains(Field.TIMESTAMP)) parts.add(timestamp(r));
    if (fields.contains(Field.PARTITION)) parts.add("Partition:" + r.partition());
    if (fields.contains(Field.OFFSET)) parts.add("Offset:" + r.offset());
    if (fields.contains(Field.HEADERS)) parts.add(headers(r));
    if (fields.contains(Field.KEY)) parts.add(text(r.key()));
    StringBuilder sb = new StringBuilder();
    for (String p : parts) sb.append(p).append('\t');
    return sb.toString();
  }

  private static String timestamp(ConsumerRecord<byte[], byte[]> r) {
    if (r.timestampType() == TimestampType.NO_TIMESTAMP_TYPE) return "NO_TIMESTAMP";
    return r.timestampType().name + ":" + r.timestamp();
  }

  private static String headers(ConsumerRecord<byte[], byte[]> r) {
    List<String> hs = new ArrayList<>();
    for (Header h : r.headers()) hs.add(h.key() + ":" + text(h.value()));
    return hs.isEmpty() ? "NO_HEADERS" : String.join(",", hs);
  }

  private static String text(byte[] bytes) {
    return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
  }
}
