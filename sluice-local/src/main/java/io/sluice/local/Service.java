package io.sluice.local;

import java.util.Arrays;

/** One server of the local stack, by the name {@code sluice stack status} shows. */
public enum Service {
  KAFKA("kafka"),
  CASSANDRA("cassandra"),
  S3("s3"),
  METADATA_DB("metadata-db"),
  API_SIMULATOR("api-simulator"),
  /** The schema registry; it keeps its state in Kafka, so the stack starts Kafka with it. */
  SCHEMA_REGISTRY("schema-registry");

  private final String statusName;

  Service(String statusName) {
    this.statusName = statusName;
  }

  /** The lower-case name used in status output and error messages. */
  public String statusName() {
    return statusName;
  }

  /** The service with the given status name; throws for an unknown name. */
  public static Service byName(String name) {
    return Arrays.stream(values())
        .filter(s -> s.statusName.equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown service '" + name + "'"));
  }

  @Override
  public String toString() {
    return statusName;
  }
}
