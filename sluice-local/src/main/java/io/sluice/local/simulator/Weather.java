package io.sluice.local.simulator;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * Plausible weather as a pure function of place and hour: a seasonal and a daily temperature cycle
 * by latitude and solar time, with deterministic noise and rain showers.
 */
final class Weather {
  private Weather() {}

  static double hourly(String variable, double lat, double lon, Instant t) {
    double temp = temperature(lat, lon, t);
    double rain = precipitation(lat, lon, t);
    return switch (variable) {
      case "temperature_2m" -> temp;
      case "apparent_temperature" -> temp - windSpeed(lat, lon, t) / 10;
      case "dew_point_2m" -> temp - (100 - humidity(lat, lon, t)) / 5;
      case "relative_humidity_2m", "relativehumidity_2m" -> humidity(lat, lon, t);
      case "precipitation", "rain" -> temp < 0 ? 0 : rain;
      case "snowfall" -> temp < 0 ? rain * 0.7 : 0;
      case "cloud_cover", "cloudcover" ->
          Math.min(100, 30 + 60 * noise(lat, lon, t, 5) + rain * 20);
      case "pressure_msl" -> 1013 + 15 * Math.sin(hoursSinceEpoch(t) / 97.0 + lon);
      case "surface_pressure" -> 1000 + 15 * Math.sin(hoursSinceEpoch(t) / 97.0 + lon);
      case "wind_speed_10m", "windspeed_10m" -> windSpeed(lat, lon, t);
      case "wind_gusts_10m" -> windSpeed(lat, lon, t) * 1.6;
      case "wind_direction_10m", "winddirection_10m" -> Math.floor(360 * noise(lat, lon, t, 7));
      case "shortwave_radiation" ->
          Math.max(0, 900 * Math.sin(Math.PI * (solarHour(lon, t) - 6) / 12));
      case "weather_code", "weathercode" -> rain > 0.5 ? 63 : rain > 0 ? 61 : 3;
      case "is_day" -> solarHour(lon, t) >= 6 && solarHour(lon, t) < 18 ? 1 : 0;
      default -> throw new IllegalArgumentException(variable);
    };
  }

  static double daily(String variable, double lat, double lon, LocalDate day, ZoneId zone) {
    Instant start = day.atStartOfDay(zone).toInstant();
    Instant end = day.plusDays(1).atStartOfDay(zone).toInstant();
    double max = -1e9;
    double min = 1e9;
    double sum = 0;
    double rain = 0;
    double snow = 0;
    double wetHours = 0;
    double wind = 0;
    double radiation = 0;
    int n = 0;
    for (Instant t = start; t.isBefore(end); t = t.plusSeconds(3600)) {
      double temp = temperature(lat, lon, t);
      max = Math.max(max, temp);
      min = Math.min(min, temp);
      sum += temp;
      double p = precipitation(lat, lon, t);
      if (temp < 0) snow += p * 0.7;
      else rain += p;
      if (p > 0) wetHours++;
      wind = Math.max(wind, windSpeed(lat, lon, t));
      radiation += hourly("shortwave_radiation", lat, lon, t) * 0.0036;
      n++;
    }
    return switch (variable) {
      case "temperature_2m_max" -> max;
      case "temperature_2m_min" -> min;
      case "temperature_2m_mean" -> sum / n;
      case "apparent_temperature_max" -> max - wind / 10;
      case "apparent_temperature_min" -> min - wind / 10;
      case "precipitation_sum" -> rain + snow;
      case "rain_sum" -> rain;
      case "snowfall_sum" -> snow;
      case "precipitation_hours" -> wetHours;
      case "wind_speed_10m_max", "windspeed_10m_max" -> wind;
      case "wind_gusts_10m_max" -> wind * 1.6;
      case "shortwave_radiation_sum" -> radiation;
      case "weather_code" -> rain > 5 ? 63 : rain > 0 ? 61 : 3;
      default -> throw new IllegalArgumentException(variable);
    };
  }

  private static double temperature(double lat, double lon, Instant t) {
    double base = 27 - 0.4 * Math.abs(lat);
    int doy = t.atOffset(ZoneOffset.UTC).getDayOfYear();
    double season =
        Math.signum(lat) * (Math.abs(lat) / 90 * 14) * Math.cos(2 * Math.PI * (doy - 200) / 365.0);
    double diurnal = 5 * Math.sin(2 * Math.PI * (solarHour(lon, t) - 9) / 24);
    return base + season + diurnal + 2 * (noise(lat, lon, t, 1) - 0.5);
  }

  private static double precipitation(double lat, double lon, Instant t) {
    double chance = noise(lat, lon, t.minusSeconds(t.getEpochSecond() % (6 * 3600)), 2);
    if (chance > 0.3) return 0;
    return Math.round(noise(lat, lon, t, 3) * 30) / 10.0;
  }

  private static double humidity(double lat, double lon, Instant t) {
    return Math.round(55 + 30 * noise(lat, lon, t, 4));
  }

  private static double windSpeed(double lat, double lon, Instant t) {
    return 3 + 20 * noise(lat, lon, t, 6);
  }

  private static double solarHour(double lon, Instant t) {
    double h = (t.getEpochSecond() % 86400) / 3600.0 + lon / 15;
    return ((h % 24) + 24) % 24;
  }

  private static long hoursSinceEpoch(Instant t) {
    return Math.floorDiv(t.getEpochSecond(), 3600);
  }

  private static double noise(double lat, double lon, Instant t, int salt) {
    long h =
        RandomUserApi.mix(
            Double.doubleToLongBits(lat) * 31 + Double.doubleToLongBits(lon),
            hoursSinceEpoch(t) * 16 + salt);
    return (h >>> 11) * 0x1.0p-53;
  }
}
