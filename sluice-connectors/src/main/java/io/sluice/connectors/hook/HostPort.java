package io.sluice.connectors.hook;

import java.net.URI;

/** A host and port parsed from {@code host:port} lists and URLs. */
record HostPort(String host, Integer port) {
  static HostPort first(String list, int defaultPort) {
    String first = list.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    if (colon < 0) return new HostPort(first, defaultPort);
    return new HostPort(first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)));
  }

  static HostPort ofUrl(String url) {
    URI u = URI.create(url);
    return new HostPort(u.getHost(), u.getPort() < 0 ? null : u.getPort());
  }
}
