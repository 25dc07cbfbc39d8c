package io.sluice.ingest.record;

import java.math.BigDecimal;

/** The text form of a location, {@code "52.52,13.41"}, shared by record fields and Kafka keys. */
public final class Locations {
  private Locations() {}

  public static String format(double latitude, double longitude) {
    return format(latitude) + "," + format(longitude);
  }

  public static String format(double coordinate) {
    return BigDecimal.valueOf(coordinate).stripTrailingZeros().toPlainString();
  }
}
