package io.sluice.ingest.openmeteo;

import io.sluice.ingest.record.Locations;
import io.sluice.ingest.source.HttpSource;
import io.sluice.ingest.source.JsonBodies;
import io.sluice.ingest.source.SourcePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.StringJoiner;

/**
 * Client of Open-Meteo: every request, backfills included, goes to the one configured endpoint
 * (seed 004's {@code BASE_URL}), through a resilient {@link HttpSource}.
 */
public final class OpenMeteoClient {
  private final URI endpoint;
  private final HttpSource http;
  private final Clock clock;

  public OpenMeteoClient(URI endpoint, SourcePolicy policy, Clock clock) {
    this.endpoint = endpoint;
    this.http = new HttpSource("open-meteo", policy, JsonBodies::errorReason);
    this.clock = clock;
  }

  /** The query for a batch of locations and an optional date range. */
  public URI uri(
      List<double[]> locations,
      List<String> hourly,
      List<String> daily,
      String timezone,
      LocalDate from,
      LocalDate to) {
    var lat = new StringJoiner(",");
    var lon = new StringJoiner(",");
    for (double[] l : locations) {
      lat.add(Locations.format(l[0]));
      lon.add(Locations.format(l[1]));
    }
    var q = new StringJoiner("&");
    q.add("latitude=" + lat);
    q.add("longitude=" + lon);
    if (!hourly.isEmpty()) q.add("hourly=" + enc(String.join(",", hourly)));
    if (!daily.isEmpty()) q.add("daily=" + enc(String.join(",", daily)));
    q.add("timezone=" + enc(timezone));
    if (from != null) q.add("start_date=" + from);
    if (to != null) q.add("end_date=" + to);
    String base = endpoint.toString();
    return URI.create(base + (base.contains("?") ? "&" : "?") + q);
  }

  public HttpSource.Result<ParsedWeather> fetch(URI uri, OpenMeteoParser parser) {
    return http.get(
        uri, body -> parser.parse(body, clock.instant().truncatedTo(ChronoUnit.MILLIS)));
  }

  public long retries() {
    return http.retries();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
