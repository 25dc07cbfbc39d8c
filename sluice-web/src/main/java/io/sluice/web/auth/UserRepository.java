package io.sluice.web.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Users and API tokens in the metadata database (tables {@code web_user} and {@code web_api_token},
 * migration V100). Thread-safe; each call uses its own connection and commits before returning.
 */
public final class UserRepository {
  /** An API token as listed: never its secret. */
  public record ApiToken(
      String tokenId, String username, String name, Instant createdAt, Instant lastUsedAt) {}

  /** A token just created: {@code token} is shown once and cannot be read back. */
  public record NewToken(ApiToken info, String token) {}

  /** How long a verified password is remembered, so that HTTP Basic does not bcrypt every call. */
  private static final java.time.Duration VERIFIED_TTL = java.time.Duration.ofMinutes(5);

  private record Verified(String username, Instant until) {}

  private record Row(User user, String hash) {}

  private final DataSource dataSource;
  private final Clock clock;
  private final byte[] cacheKey = Passwords.randomHex(32).getBytes(StandardCharsets.US_ASCII);
  private final java.util.Map<String, Verified> verified =
      new java.util.concurrent.ConcurrentHashMap<>();

  public UserRepository(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  private <T> T tx(io.sluice.web.db.Sql.Work<T> work) {
    return io.sluice.web.db.Sql.tx(dataSource, work);
  }

  /** The name and e-mail address kept with a user, as Airflow's {@code users create} takes them. */
  public record Profile(String firstName, String lastName, String email) {
    public static final Profile NONE = new Profile(null, null, null);

    /** Refuses what the user table cannot keep, before anything is written. */
    public Profile {
      fits("first name", firstName, 100);
      fits("last name", lastName, 100);
      fits("e-mail address", email, 256);
    }

    private static void fits(String what, String value, int max) {
      if (value != null && (value.length() > max || value.indexOf('\u0000') >= 0))
        throw new IllegalArgumentException(
            "a " + what + " has at most " + max + " characters and no NUL character");
    }
  }

  /** Creates a user; throws when the name is taken. */
  public User create(String username, String password, Role role) {
    return create(username, password, role, Profile.NONE);
  }

  /** Creates a user with a profile; throws when the name is taken. */
  public User create(String username, String password, Role role, Profile profile) {
    validateName(username);
    String hash = Passwords.hash(password);
    Instant now = clock.instant();
    return tx(
        c -> {
          if (find(c, username).isPresent())
            throw new IllegalArgumentException("user '" + username + "' already exists");
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO web_user (username, password_hash, role, created_at, first_name,"
                      + " last_name, email) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, username);
            ps.setString(2, hash);
            ps.setString(3, role.id());
            ps.setTimestamp(4, Timestamp.from(now));
            ps.setString(5, profile.firstName());
            ps.setString(6, profile.lastName());
            ps.setString(7, profile.email());
            ps.executeUpdate();
          }
          return new User(username, role, now, null);
        });
  }

  /** Sets a new password; false when the user does not exist. */
  public boolean setPassword(String username, String password) {
    String hash = Passwords.hash(password);
    return tx(
            c ->
                update(
                    c, "UPDATE web_user SET password_hash = ? WHERE username = ?", hash, username))
        > 0;
  }

  public boolean setRole(String username, Role role) {
    return tx(
            c -> update(c, "UPDATE web_user SET role = ? WHERE username = ?", role.id(), username))
        > 0;
  }

  public boolean delete(String username) {
    return tx(c -> update(c, "DELETE FROM web_user WHERE username = ?", username)) > 0;
  }

  public Optional<User> find(String username) {
    return tx(c -> find(c, username));
  }

  public List<User> list() {
    return tx(
        c -> {
          List<User> users = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT username, role, created_at, last_login_at FROM web_user ORDER BY username");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) users.add(user(rs));
          }
          return users;
        });
  }

  /** The profile of a user, or {@link Profile#NONE} when it has none or does not exist. */
  public Profile profile(String username) {
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT first_name, last_name, email FROM web_user WHERE username = ?")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next()
                  ? new Profile(rs.getString(1), rs.getString(2), rs.getString(3))
                  : Profile.NONE;
            }
          }
        });
  }

  public int count() {
    return tx(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM web_user");
              ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  /**
   * The user when the password matches, its {@code last_login} set to now. Always runs one bcrypt
   * check unless this password was verified against the hash stored now: a changed password (by any
   * process) misses the cache, and an unknown name takes as long as a wrong password.
   */
  public Optional<User> authenticate(String username, String password) {
    Optional<Row> row = tx(c -> row(c, username));
    String hash = row.map(Row::hash).orElse(null);
    String digest = hmac(username + "\u0000" + password + "\u0000" + hash);
    Verified v = verified.get(digest);
    boolean ok =
        hash != null && v != null && v.until().isAfter(clock.instant())
            || Passwords.verify(password, hash);
    if (!ok || row.isEmpty()) return Optional.empty();
    if (verified.size() > 10_000) verified.clear();
    verified.put(digest, new Verified(username, clock.instant().plus(VERIFIED_TTL)));
    Instant now = clock.instant();
    tx(
        c ->
            update(
                c,
                "UPDATE web_user SET last_login_at = ? WHERE username = ?",
                Timestamp.from(now),
                username));
    User u = row.get().user();
    return Optional.of(new User(u.username(), u.role(), u.createdAt(), now));
  }

  /**
   * A fingerprint of what a login was granted on: the user's role and password hash. A session
   * remembers it; when it differs (or the user is gone) the session has been revoked.
   */
  public Optional<String> stamp(String username) {
    return tx(c -> row(c, username)).map(r -> r.user().role().id() + ":" + sha256(r.hash()));
  }

  private static Optional<Row> row(Connection c, String username) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT username, role, created_at, last_login_at, password_hash FROM web_user WHERE username = ?")) {
      ps.setString(1, username);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? Optional.of(new Row(user(rs), rs.getString("password_hash")))
            : Optional.empty();
      }
    }
  }

  /** Creates an API token for a user; the returned token string is the only copy. */
  public NewToken createToken(String username, String name) {
    String id = Passwords.randomHex(8);
    String secret = Passwords.randomHex(24);
    Instant now = clock.instant();
    return tx(
        c -> {
          if (find(c, username).isEmpty())
            throw new IllegalArgumentException("user '" + username + "' does not exist");
          update(
              c,
              "INSERT INTO web_api_token (token_id, username, name, secret_sha256, created_at) VALUES (?, ?, ?, ?, ?)",
              id,
              username,
              name == null || name.isBlank() ? "token" : name,
              sha256(secret),
              Timestamp.from(now));
          return new NewToken(
              new ApiToken(id, username, name, now, null), "slc_" + id + "_" + secret);
        });
  }

  /** The token's user when {@code token} is a valid, existing API token. */
  public Optional<User> authenticateToken(String token) {
    if (token == null || !token.startsWith("slc_")) return Optional.empty();
    String[] parts = token.substring(4).split("_", 2);
    if (parts.length != 2) return Optional.empty();
    String id = parts[0];
    String hash = sha256(parts[1]);
    return tx(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT u.username, u.role, u.created_at, u.last_login_at, t.secret_sha256"
                      + " FROM web_api_token t JOIN web_user u ON u.username = t.username"
                      + " WHERE t.token_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) return Optional.<User>empty();
              if (!MessageDigest.isEqual(
                  hash.getBytes(StandardCharsets.US_ASCII),
                  rs.getString("secret_sha256").getBytes(StandardCharsets.US_ASCII)))
                return Optional.<User>empty();
              User u = user(rs);
              update(
                  c,
                  "UPDATE web_api_token SET last_used_at = ? WHERE token_id = ?",
                  Timestamp.from(clock.instant()),
                  id);
              return Optional.of(u);
            }
          }
        });
  }

  public List<ApiToken> tokens(String username) {
    return tx(
        c -> {
          List<ApiToken> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT token_id, username, name, created_at, last_used_at FROM web_api_token"
                      + " WHERE username = ? ORDER BY created_at")) {
            ps.setString(1, username);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next())
                out.add(
                    new ApiToken(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5))));
            }
          }
          return out;
        });
  }

  public boolean deleteToken(String username, String tokenId) {
    return tx(
            c ->
                update(
                    c,
                    "DELETE FROM web_api_token WHERE username = ? AND token_id = ?",
                    username,
                    tokenId))
        > 0;
  }

  private static Optional<User> find(Connection c, String username) throws SQLException {
    return row(c, username).map(Row::user);
  }

  private static int update(Connection c, String sql, Object... args) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
      return ps.executeUpdate();
    }
  }

  private static User user(ResultSet rs) throws SQLException {
    return new User(
        rs.getString("username"),
        Role.parse(rs.getString("role")),
        instant(rs.getTimestamp("created_at")),
        instant(rs.getTimestamp("last_login_at")));
  }

  private static Instant instant(Timestamp t) {
    return t == null ? null : t.toInstant();
  }

  static void validateName(String username) {
    if (username == null || !username.matches("[A-Za-z0-9_.@-]{1,100}"))
      throw new IllegalArgumentException(
          "a user name has 1 to 100 letters, digits or the characters _ . @ -");
  }

  private String hmac(String s) {
    try {
      javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
      mac.init(new javax.crypto.spec.SecretKeySpec(cacheKey, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(s.getBytes(StandardCharsets.UTF_8)));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
