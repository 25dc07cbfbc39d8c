package io.sluice.ingest.kafka;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Names of the record headers Sluice writes, and helpers to write them. */
public final class Headers {
  public static final String SCHEMA_VERSION = "schema_version";
  public static final String SOURCE = "source";
  public static final String RUN_ID = "run_id";
  public static final String FETCHED_AT = "fetched_at";
  public static final String DLQ_STAGE = "sluice.stage";
  public static final String DLQ_ERROR = "sluice.error";
  public static final String DLQ_SOURCE_TOPIC = "sluice.source.topic";
  public static final String DLQ_SOURCE_PARTITION = "sluice.source.partition";
  public static final String DLQ_SOURCE_OFFSET = "sluice.source.offset";
  public static final String DLQ_SOURCE_PAGE = "sluice.source.page";
  public static final String DLQ_SOURCE_URL = "sluice.source.url";
  public static final String DLQ_VALUE_TRUNCATED = "sluice.value.truncated";

  private Headers() {}

  public static void add(ProducerRecord<?, ?> record, String name, Object value) {
    if (value != null)
      record.headers().add(name, value.toString().getBytes(StandardCharsets.UTF_8));
  }

  public static String get(org.apache.kafka.common.header.Headers headers, String name) {
    var h = headers.lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
