package io.sluice.ingest.randomuser;

import io.sluice.ingest.source.HttpSource;
import io.sluice.ingest.source.JsonBodies;
import io.sluice.ingest.source.SourcePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

/**
 * Client of the Random User Generator: pages of up to 5000 users by {@code seed} and {@code page},
 * through a resilient {@link HttpSource}. Page p of size s holds users (p-1)*s .. p*s-1 of a seed.
 */
public final class RandomUserClient {
  public static final int MAX_PAGE_SIZE = 5000;

  private final URI endpoint;
  private final HttpSource http;

  public RandomUserClient(URI endpoint, SourcePolicy policy) {
    this.endpoint = endpoint;
    this.http = new HttpSource("randomuser", policy, JsonBodies::errorReason);
  }

  /** The query of one page. */
  public URI pageUri(String seed, int page, int size, String nat, String gender) {
    if (size < 1 || size > MAX_PAGE_SIZE)
      throw new IllegalArgumentException("page size must be 1.." + MAX_PAGE_SIZE + ", got " + size);
    var q = new StringJoiner("&");
    q.add("results=" + size);
    q.add("seed=" + enc(seed));
    q.add("page=" + page);
    if (nat != null && !nat.isBlank()) q.add("nat=" + enc(nat));
    if (gender != null && !gender.isBlank()) q.add("gender=" + enc(gender));
    String base = endpoint.toString();
    return URI.create(base + (base.contains("?") ? "&" : "?") + q);
  }

  /** Fetches and decodes one page, retrying transient failures. */
  public HttpSource.Result<ParsedPage> fetch(URI pageUri) {
    return http.get(pageUri, RandomUserParser::parse);
  }

  public long retries() {
    return http.retries();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
