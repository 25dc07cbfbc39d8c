package io.sluice.ingest.source;

import dev.failsafe.CircuitBreaker;
import dev.failsafe.CircuitBreakerOpenException;
import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RateLimiter;
import dev.failsafe.RetryPolicy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * GETs JSON from one REST source through a retry policy (exponential backoff with jitter, honouring
 * {@code Retry-After} on 429 and 503), a circuit breaker and a rate limiter. The caller's decoder
 * runs inside each attempt, so an answer that is not valid JSON is retried like a 500.
 *
 * <p>Thread-safe; blocking. One instance per source, so that its rate limit and breaker are shared
 * by every request to that source.
 */
public final class HttpSource {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSource.class);

  /** Turns a 200 answer into a value; throws {@link TransientSourceException} to retry. */
  @FunctionalInterface
  public interface Decoder<T> {
    T decode(byte[] body);
  }

  /** Turns a non-200 body into the API's error message, if it is an error body. */
  @FunctionalInterface
  public interface ErrorReader {
    Optional<String> reason(byte[] body);
  }

  /** The decoded value of a request, with the attempts it took. */
  public record Result<T>(T value, int attempts, List<TransientSourceException> failures) {}

  private final String name;
  private final HttpClient client;
  private final SourcePolicy policy;
  private final ErrorReader errors;
  private final CircuitBreaker<Object> breaker;
  private final RateLimiter<Object> limiter;
  private final AtomicLong retries = new AtomicLong();

  public HttpSource(String name, SourcePolicy policy, ErrorReader errors) {
    this.name = name;
    this.policy = policy;
    this.errors = errors;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(policy.connectTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    this.breaker =
        CircuitBreaker.builder()
            .handle(TransientSourceException.class)
            .withFailureThreshold(policy.breakerFailures(), policy.breakerWindow())
            .withDelay(policy.breakerDelay())
            .onOpen(e -> LOG.warn("{}: circuit breaker open for {}", name, policy.breakerDelay()))
            .onClose(e -> LOG.info("{}: circuit breaker closed", name))
            .build();
    long perSecond = Math.max(1, Math.round(policy.requestsPerSecond()));
    this.limiter =
        RateLimiter.smoothBuilder(perSecond, Duration.ofSeconds(1))
            .withMaxWaitTime(Duration.ofMinutes(5))
            .build();
  }

  /** Retries made by this source since it was created. */
  public long retries() {
    return retries.get();
  }

  public String name() {
    return name;
  }

  /**
   * GETs {@code uri} and decodes the answer, retrying transient failures.
   *
   * @throws SourceErrorException the API answered with an error body (not retried)
   * @throws SourceException retries used up, or the request was refused for good
   */
  public <T> Result<T> get(URI uri, Decoder<T> decoder) {
    List<TransientSourceException> failures = new ArrayList<>();
    RetryPolicy<Object> retry =
        RetryPolicy.builder()
            .handle(TransientSourceException.class, CircuitBreakerOpenException.class)
            .withBackoff(policy.backoffStart(), policy.backoffMax(), 2.0)
            .withJitter(policy.jitter())
            .withDelayFn(ctx -> serverDelay(ctx.getLastException()))
            .withMaxRetries(policy.maxRetries())
            .onRetry(
                e -> {
                  retries.incrementAndGet();
                  LOG.debug(
                      "{}: retry {} of {}: {}",
                      name,
                      e.getAttemptCount(),
                      uri,
                      e.getLastException().getMessage());
                })
            .onFailedAttempt(
                e -> {
                  if (e.getLastException() instanceof TransientSourceException t) failures.add(t);
                })
            .build();
    FailsafeExecutor<Object> executor = Failsafe.with(retry, breaker, limiter);
    AtomicLong attempts = new AtomicLong();
    try {
      @SuppressWarnings("unchecked")
      T value =
          (T)
              executor.get(
                  () -> {
                    attempts.incrementAndGet();
                    return attempt(uri, decoder);
                  });
      return new Result<>(value, (int) attempts.get(), List.copyOf(failures));
    } catch (SourceException e) {
      if (e instanceof TransientSourceException)
        throw new SourceException(
            name
                + ": giving up on "
                + uri
                + " after "
                + attempts.get()
                + " attempts: "
                + e.getMessage(),
            e);
      throw e;
    } catch (CircuitBreakerOpenException e) {
      throw new SourceException(name + ": circuit breaker open, giving up on " + uri, e);
    } catch (FailsafeException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new SourceException(
          name + ": request to " + uri + " failed: " + cause.getMessage(), cause);
    }
  }

  private Duration serverDelay(Throwable failure) {
    if (failure instanceof TransientSourceException t && t.retryAfter().isPresent()) {
      Duration asked = t.retryAfter().get();
      // why: jitter may shorten a delay by its share; pad it so the wait never undercuts
      // Retry-After
      return asked.plusMillis(
          (long) (asked.toMillis() * policy.jitter() / (1 - policy.jitter())) + 1);
    }
    if (failure instanceof CircuitBreakerOpenException)
      return breaker.getRemainingDelay().plusMillis(10);
    return Duration.ofMillis(-1);
  }

  private <T> T attempt(URI uri, Decoder<T> decoder) throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .timeout(policy.requestTimeout())
            .header("Accept", "application/json")
            .header("User-Agent", "sluice-ingest")
            .GET()
            .build();
    HttpResponse<byte[]> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new TransientSourceException(
          name + ": " + e.getClass().getSimpleName() + " on " + uri + ": " + e.getMessage(),
          null,
          null,
          e);
    }
    int status = response.statusCode();
    byte[] body = response.body();
    if (status == 200) return decoder.decode(body);
    if (status == 429 || status == 503) {
      throw new TransientSourceException(
          name + ": HTTP " + status + " on " + uri, retryAfter(response).orElse(null), null, null);
    }
    if (status >= 500 || status == 408) {
      throw new TransientSourceException(
          name + ": HTTP " + status + " on " + uri, null, null, null);
    }
    String reason = errors.reason(body).orElse(snippet(body));
    throw new SourceErrorException(name, status, reason);
  }

  static Optional<Duration> retryAfter(HttpResponse<?> response) {
    Optional<String> header = response.headers().firstValue("Retry-After");
    if (header.isEmpty()) return Optional.empty();
    String v = header.get().trim();
    try {
      return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(v))));
    } catch (NumberFormatException e) {
      try {
        ZonedDateTime at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME);
        Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
        return Optional.of(d.isNegative() ? Duration.ZERO : d);
      } catch (RuntimeException ignored) {
        return Optional.empty();
      }
    }
  }

  private static String snippet(byte[] body) {
    String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }
}
