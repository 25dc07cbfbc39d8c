package io.sluice.local.simulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP server that answers like the two public APIs the pipelines read: the Random User
 * Generator at {@code /api/} and Open-Meteo at {@code /v1/forecast}, {@code /v1/dwd-icon} and
 * {@code /v1/archive}. Faults can be injected per API at any time, for tests of the clients'
 * resilience.
 *
 * <pre>{@code
 * try (ApiSimulator sim = ApiSimulator.start(new InetSocketAddress("127.0.0.1", 0))) {
 *   sim.setFaults(Faults.mixed(0.2, 42));
 *   URI users = sim.baseUri().resolve("/api/?results=100&seed=abc");
 * }
 * }</pre>
 */
public final class ApiSimulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ApiSimulator.class);

  /** The APIs the simulator answers for; faults and counts are kept per API. */
  public enum Api {
    RANDOM_USER,
    OPEN_METEO
  }

  static {
    // why: without TCP_NODELAY, small responses wait ~40 ms for the client's delayed ACK
    if (System.getProperty("sun.net.httpserver.nodelay") == null)
      System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<Api, State> states = new EnumMap<>(Api.class);
  private final RandomUserApi randomUser = new RandomUserApi();
  private final OpenMeteoApi forecast = new OpenMeteoApi(false);
  private final OpenMeteoApi archive = new OpenMeteoApi(true);

  private static final class State {
    volatile Faults faults = Faults.none();
    final AtomicLong sequence = new AtomicLong();
    final AtomicLongArray counts = new AtomicLongArray(Faults.Kind.values().length);
  }

  private ApiSimulator(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
    for (Api api : Api.values()) states.put(api, new State());
  }

  /**
   * Binds and starts the server; port 0 picks a free port.
   *
   * @throws IOException when the address cannot be bound (a taken port, for example)
   */
  public static ApiSimulator start(InetSocketAddress bind) throws IOException {
    HttpServer server = HttpServer.create(bind, 128);
    AtomicLong threads = new AtomicLong();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "api-simulator-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    ApiSimulator sim = new ApiSimulator(server, executor);
    server.createContext("/api", ex -> sim.handle(ex, Api.RANDOM_USER, sim.randomUser::answer));
    server.createContext(
        "/v1/forecast", ex -> sim.handle(ex, Api.OPEN_METEO, sim.forecast::answer));
    server.createContext(
        "/v1/dwd-icon", ex -> sim.handle(ex, Api.OPEN_METEO, sim.forecast::answer));
    server.createContext("/v1/archive", ex -> sim.handle(ex, Api.OPEN_METEO, sim.archive::answer));
    server.createContext("/", sim::notFound);
    server.setExecutor(executor);
    server.start();
    LOG.debug("API simulator listening on {}", sim.baseUri());
    return sim;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** {@code http://host:port}, without a trailing slash. */
  public URI baseUri() {
    String host = server.getAddress().getAddress().getHostAddress();
    if (host.contains(":")) host = "[" + host + "]";
    if (host.equals("0.0.0.0")) host = "127.0.0.1";
    return URI.create("http://" + host + ":" + port());
  }

  /** The Random User endpoint, {@code http://host:port/api/}. */
  public URI randomUserUri() {
    return URI.create(baseUri() + "/api/");
  }

  /** The Open-Meteo forecast endpoint, {@code http://host:port/v1/forecast}. */
  public URI openMeteoUri() {
    return URI.create(baseUri() + "/v1/forecast");
  }

  /** Sets the faults of both APIs and restarts their fault sequences. */
  public void setFaults(Faults faults) {
    for (Api api : Api.values()) setFaults(api, faults);
  }

  /** Sets the faults of one API and restarts its fault sequence. */
  public void setFaults(Api api, Faults faults) {
    State s = states.get(api);
    s.faults = Objects.requireNonNull(faults);
    s.sequence.set(0);
  }

  /** The faults of the Random User API (both APIs share them unless set one by one). */
  public Faults faults() {
    return faults(Api.RANDOM_USER);
  }

  public Faults faults(Api api) {
    return states.get(api).faults;
  }

  /** How many requests the API answered since start or the last {@link #resetCounts()}, by fate. */
  public FaultCounts counts(Api api) {
    AtomicLongArray c = states.get(api).counts;
    long[] values = new long[c.length()];
    for (int i = 0; i < values.length; i++) values[i] = c.get(i);
    return FaultCounts.of(values);
  }

  public void resetCounts() {
    for (State s : states.values()) for (int i = 0; i < s.counts.length(); i++) s.counts.set(i, 0);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(HttpExchange ex, Api api, Function<Map<String, String>, byte[]> answer)
      throws IOException {
    try (ex) {
      State state = states.get(api);
      Faults faults = state.faults;
      Faults.Kind kind = decide(state, faults);
      state.counts.incrementAndGet(kind.ordinal());
      switch (kind) {
        case TOO_MANY_REQUESTS -> {
          ex.getResponseHeaders()
              .set("Retry-After", Long.toString(faults.retryAfter().toSeconds()));
          send(ex, 429, error(api, "Too many requests"));
          return;
        }
        case SERVER_ERROR -> {
          send(
              ex,
              500,
              "<html><body><h1>500 Internal Server Error</h1></body></html>"
                  .getBytes(StandardCharsets.UTF_8),
              "text/html");
          return;
        }
        case SLOW -> sleep(faults.slowDelay().toMillis());
        default -> {}
      }
      byte[] body;
      try {
        body = answer.apply(query(ex.getRequestURI()));
      } catch (RandomUserApi.BadRequest e) {
        send(ex, 400, error(api, e.getMessage()));
        return;
      } catch (OpenMeteoApi.BadRequest e) {
        send(ex, 400, error(api, e.getMessage()));
        return;
      }
      if (kind == Faults.Kind.TRUNCATED) body = java.util.Arrays.copyOf(body, body.length / 2);
      if (kind == Faults.Kind.MALFORMED) body = malform(body);
      send(ex, 200, body);
    } catch (RuntimeException e) {
      LOG.warn("API simulator failed on {}", ex.getRequestURI(), e);
    }
  }

  private static Faults.Kind decide(State state, Faults faults) {
    if (faults.total() == 0) return Faults.Kind.NONE;
    long n = state.sequence.getAndIncrement();
    double u =
        faults.seed() == null
            ? ThreadLocalRandom.current().nextDouble()
            : new SplittableRandom(RandomUserApi.mix(faults.seed(), n)).nextDouble();
    return faults.pick(u);
  }

  private static byte[] malform(byte[] body) {
    // why: a stray unquoted token in the middle breaks the JSON syntax but keeps the length
    // plausible
    String text = new String(body, StandardCharsets.UTF_8);
    int cut = text.indexOf(',', text.length() / 2);
    if (cut < 0) cut = text.length() / 2;
    return (text.substring(0, cut) + ",<undefined>" + text.substring(cut))
        .getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] error(Api api, String reason) {
    String escaped = reason.replace("\\", "\\\\").replace("\"", "\\\"");
    String json =
        api == Api.OPEN_METEO
            ? "{\"error\":true,\"reason\":\"" + escaped + "\"}"
            : "{\"error\":\"" + escaped + "\"}";
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private void notFound(HttpExchange ex) throws IOException {
    try (ex) {
      send(ex, 404, "{\"error\":\"Not found\"}".getBytes(StandardCharsets.UTF_8));
    }
  }

  private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
    send(ex, status, body, "application/json; charset=utf-8");
  }

  private static void send(HttpExchange ex, int status, byte[] body, String contentType)
      throws IOException {
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    if (body.length > 0)
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static Map<String, String> query(URI uri) {
    Map<String, String> params = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) return params;
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      params.put(key, value);
    }
    return params;
  }
}
