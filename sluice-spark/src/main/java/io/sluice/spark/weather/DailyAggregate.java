package io.sluice.spark.weather;

/**
 * The weather of one day at one location, derived from its hourly rows: minimum, maximum and mean
 * of {@code temperature_2m} (null when no hour has one) and the sum of {@code precipitation}.
 */
public record DailyAggregate(
    int hours,
    Double temperatureMin,
    Double temperatureMax,
    Double temperatureMean,
    Double precipitationSum) {

  /** Folds hourly values (temperature, precipitation; either may be null) into a day. */
  public static final class Builder {
    private int hours;
    private int temperatures;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;
    private double temperatureSum;
    private int precipitations;
    private double precipitationSum;

    public Builder add(Double temperature, Double precipitation) {
      hours++;
      if (temperature != null) {
        temperatures++;
        min = Math.min(min, temperature);
        max = Math.max(max, temperature);
        temperatureSum += temperature;
      }
      if (precipitation != null) {
        precipitations++;
        precipitationSum += precipitation;
      }
      return this;
    }

    public DailyAggregate build() {
      boolean t = temperatures > 0;
      return new DailyAggregate(
          hours,
          t ? min : null,
          t ? max : null,
          t ? temperatureSum / temperatures : null,
          precipitations > 0 ? precipitationSum : null);
    }
  }
}
