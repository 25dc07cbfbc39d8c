package io.sluice.local;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashSet;
import java.util.Set;

/** Checks and picks local TCP ports. */
public final class Ports {
  private Ports() {}

  /** True when nothing listens on {@code port} of the loopback address and it can be bound. */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** True when a TCP connection to {@code host:port} succeeds within {@code timeoutMillis}. */
  public static boolean isListening(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code count} distinct ports that were free a moment ago (for tests). */
  public static int[] free(int count) {
    Set<Integer> seen = new HashSet<>();
    int[] ports = new int[count];
    int i = 0;
    while (i < count) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (seen.add(port)) ports[i++] = port;
      } catch (IOException e) {
        throw new LocalStackException("cannot find a free local port: " + e.getMessage(), e);
      }
    }
    return ports;
  }
}
