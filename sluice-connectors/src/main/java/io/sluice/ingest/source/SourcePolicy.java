package io.sluice.ingest.source;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.time.Duration;

/**
 * How a source client protects itself and the API: timeouts, retries with exponential backoff and
 * jitter, a rate limit and a circuit breaker.
 *
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout time allowed for a whole answer
 * @param maxRetries retries after the first attempt
 * @param backoffStart first retry delay; doubled after each failure up to {@code backoffMax}
 * @param backoffMax largest retry delay (a server's {@code Retry-After} may ask for more)
 * @param jitter random share added to or taken from each delay
 * @param requestsPerSecond rate limit of this client
 * @param breakerFailures failures out of {@code breakerWindow} attempts that open the breaker
 * @param breakerWindow attempts the breaker looks at
 * @param breakerDelay how long an open breaker refuses requests
 */
public record SourcePolicy(
    Duration connectTimeout,
    Duration requestTimeout,
    int maxRetries,
    Duration backoffStart,
    Duration backoffMax,
    double jitter,
    double requestsPerSecond,
    int breakerFailures,
    int breakerWindow,
    Duration breakerDelay) {

  public static SourcePolicy defaults() {
    return new SourcePolicy(
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        10,
        Duration.ofMillis(100),
        Duration.ofSeconds(10),
        0.25,
        20,
        8,
        10,
        Duration.ofSeconds(5));
  }

  /** The defaults, with timeouts, retries and rate from the configuration. */
  public static SourcePolicy from(SluiceConfig config) {
    SourcePolicy d = defaults();
    return new SourcePolicy(
        d.connectTimeout(),
        config.get(Settings.SOURCE_TIMEOUT),
        config.get(Settings.SOURCE_MAX_RETRIES),
        d.backoffStart(),
        d.backoffMax(),
        d.jitter(),
        config.get(Settings.SOURCE_RATE_LIMIT),
        d.breakerFailures(),
        d.breakerWindow(),
        d.breakerDelay());
  }

  public SourcePolicy withMaxRetries(int value) {
    return new SourcePolicy(
        connectTimeout,
        requestTimeout,
        value,
        backoffStart,
        backoffMax,
        jitter,
        requestsPerSecond,
        breakerFailures,
        breakerWindow,
        breakerDelay);
  }

  public SourcePolicy withRequestTimeout(Duration value) {
    return new SourcePolicy(
        connectTimeout,
        value,
        maxRetries,
        backoffStart,
        backoffMax,
        jitter,
        requestsPerSecond,
        breakerFailures,
        breakerWindow,
        breakerDelay);
  }

  public SourcePolicy withBackoff(Duration start, Duration max) {
    return new SourcePolicy(
        connectTimeout,
        requestTimeout,
        maxRetries,
        start,
        max,
        jitter,
        requestsPerSecond,
        breakerFailures,
        breakerWindow,
        breakerDelay);
  }
}
