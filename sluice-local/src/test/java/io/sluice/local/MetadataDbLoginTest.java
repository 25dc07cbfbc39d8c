package io.sluice.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.core.config.SluiceConfig;
import io.sluice.core.secrets.LocalSecrets;
import io.sluice.local.db.MetadataDb;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetadataDbLoginTest {
  @TempDir Path data;

  private SluiceConfig config() {
    return SluiceConfig.load(null, Map.of("SLUICE_DATA_DIR", data.toString()));
  }

  @Test
  void generatesAPasswordKeptWithTheLocalSecretsAndRefusesTheOldDefault() throws Exception {
    String password = LocalSecrets.dbPassword(config());
    assertThat(password).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo("sluice");
    assertThat(Files.readString(data.resolve("secrets/db.password")).trim()).isEqualTo(password);
    assertThat(LocalSecrets.dbPassword(config())).isEqualTo(password);
    int port = freePort();
    try (MetadataDb db = MetadataDb.start(data.resolve("metadata"), port, "sluice", password)) {
      assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "sluice", "sluice"))
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Wrong user name or password");
      try (Connection c = DriverManager.getConnection(db.jdbcUrl(), "sluice", password)) {
        assertThat(c.isValid(1)).isTrue();
      }
    }
  }

  @Test
  void aDatabaseCreatedWithTheOldDefaultMovesToTheGeneratedPassword() throws Exception {
    Path dir = data.resolve("metadata");
    try (Connection c =
        DriverManager.getConnection(
            "jdbc:h2:file:" + dir.resolve("sluice") + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE",
            "sluice",
            "sluice")) {
      c.createStatement().execute("CREATE TABLE kept (id INT)");
      c.createStatement().execute("INSERT INTO kept VALUES (7)");
    }
    String password = LocalSecrets.dbPassword(config());
    try (MetadataDb db = MetadataDb.start(dir, freePort(), "sluice", password);
        Connection c = DriverManager.getConnection(db.jdbcUrl(), "sluice", password)) {
      var rs = c.createStatement().executeQuery("SELECT id FROM kept");
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(7);
      assertThatThrownBy(() -> DriverManager.getConnection(db.jdbcUrl(), "sluice", "sluice"))
          .isInstanceOf(SQLException.class);
    }
  }

  @Test
  void listensOnLoopbackOnly() throws Exception {
    int port = freePort();
    try (MetadataDb db =
        MetadataDb.start(
            data.resolve("metadata"), port, "sluice", LocalSecrets.dbPassword(config()))) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      }
      Optional<InetAddress> outside = nonLoopbackAddress();
      if (outside.isPresent()) {
        assertThatThrownBy(
                () -> {
                  try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(outside.get(), port), 1000);
                  }
                })
            .isInstanceOf(IOException.class);
      }
    }
  }

  private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
    return NetworkInterface.networkInterfaces()
        .flatMap(NetworkInterface::inetAddresses)
        .filter(a -> !a.isLoopbackAddress() && !a.isLinkLocalAddress())
        .findFirst();
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
