package io.sluice.ingest.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.ingest.randomuser.RandomUserClient;
import io.sluice.ingest.source.SourcePolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * Random User pages rendered once by the API simulator before a measurement, then served from
 * memory: the benchmark charges Sluice for fetching and parsing an answer, not for generating it. A
 * query that was not rendered beforehand is a 404, so nothing is generated while measuring.
 */
final class PageCache implements AutoCloseable {
  private final Map<String, byte[]> pages = new ConcurrentHashMap<>();
  private final HttpServer server;
  private final URI upstream;

  PageCache(URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/api", this::serve);
    server.setExecutor(Executors.newFixedThreadPool(4, r -> daemon(r)));
    server.start();
  }

  /** The Random User endpoint of the cache, to use in place of the simulator's. */
  URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/");
  }

  /** Renders the pages of {@code users} users of {@code seed}, in pages of {@code batch}. */
  void render(String seed, long users, int batch) throws IOException, InterruptedException {
    var client = new RandomUserClient(upstream, SourcePolicy.defaults());
    HttpClient http = HttpClient.newHttpClient();
    for (int page = 1; (long) (page - 1) * batch < users; page++) {
      URI uri = client.pageUri(seed, page, batch, null, null);
      HttpResponse<byte[]> r =
          http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofByteArray());
      if (r.statusCode() != 200) throw new IOException("simulator answered " + r.statusCode());
      pages.put(uri.getRawQuery(), r.body());
    }
  }

  /** The rendered page of {@code uri}'s query, or null. */
  byte[] page(URI uri) {
    return pages.get(uri.getRawQuery());
  }

  private void serve(HttpExchange ex) throws IOException {
    byte[] body = pages.get(ex.getRequestURI().getRawQuery());
    try (ex) {
      if (body == null) {
        ex.sendResponseHeaders(404, -1);
        return;
      }
      ex.getResponseHeaders().add("Content-Type", "application/json");
      ex.sendResponseHeaders(200, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "page-cache");
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
