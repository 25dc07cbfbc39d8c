package io.sluice.ingest.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class HttpSourceTest {
  private static final SourcePolicy FAST =
      SourcePolicy.defaults().withBackoff(Duration.ofMillis(10), Duration.ofMillis(50));
  private HttpServer server;
  private final List<Long> arrivals = Collections.synchronizedList(new ArrayList<>());

  /** Answers with the given statuses in turn, then 200 {"ok":true}. */
  private URI serve(int... statuses) throws IOException {
    AtomicInteger n = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        ex -> {
          arrivals.add(System.nanoTime());
          int i = n.getAndIncrement();
          int status = i < statuses.length ? statuses[i] : 200;
          byte[] body =
              (status == 200
                      ? "{\"ok\":true}"
                      : status == 400 ? "{\"error\":true,\"reason\":\"bad variable\"}" : "{}")
                  .getBytes(StandardCharsets.UTF_8);
          if (status == 429) ex.getResponseHeaders().set("Retry-After", "1");
          ex.sendResponseHeaders(status, body.length);
          ex.getResponseBody().write(body);
          ex.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/x");
  }

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  @Test
  void retriesServerErrorsThenSucceeds() throws IOException {
    URI uri = serve(500, 502, 503);
    var source = new HttpSource("test", FAST, JsonBodies::errorReason);

    var result = source.get(uri, body -> JsonBodies.parse("test", body).get("ok").asBoolean());

    assertThat(result.value()).isTrue();
    assertThat(result.attempts()).isEqualTo(4);
    assertThat(source.retries()).isEqualTo(3);
  }

  @Test
  void waitsAtLeastRetryAfterOn429() throws IOException {
    URI uri = serve(429);
    var source = new HttpSource("test", FAST, JsonBodies::errorReason);

    source.get(uri, body -> true);

    assertThat(arrivals).hasSize(2);
    assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0)))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void anErrorBodyIsNotRetried() throws IOException {
    URI uri = serve(400);
    var source = new HttpSource("test", FAST, JsonBodies::errorReason);

    assertThatThrownBy(() -> source.get(uri, body -> true))
        .isInstanceOf(SourceErrorException.class)
        .hasMessage("test answered with an error (HTTP 400): bad variable");
    assertThat(arrivals).hasSize(1);
  }

  @Test
  void givesUpAfterMaxRetries() throws IOException {
    URI uri = serve(500, 500, 500, 500, 500);
    var source = new HttpSource("test", FAST.withMaxRetries(2), JsonBodies::errorReason);

    assertThatThrownBy(() -> source.get(uri, body -> true))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("giving up")
        .hasMessageContaining("after 3 attempts");
    assertThat(arrivals).hasSize(3);
  }
}
