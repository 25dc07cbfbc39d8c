package io.sluice.web.auth;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;

/** Hashes and checks passwords with bcrypt, and generates random ones. */
public final class Passwords {
  // why: OWASP's minimum; verified credentials are cached, so the cost is paid once per login
  private static final int COST = 10;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET =
      "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

  /** A dummy hash checked when the user does not exist, so that timing does not reveal names. */
  private static final String DUMMY = hash("not-a-real-password-" + RANDOM.nextLong());

  private Passwords() {}

  public static String hash(String password) {
    validate(password);
    return BCrypt.withDefaults().hashToString(COST, password.toCharArray());
  }

  /** True when {@code password} matches {@code hash}; a null hash is checked against a dummy. */
  public static boolean verify(String password, String hash) {
    if (password == null) return false;
    byte[] pw = password.getBytes(StandardCharsets.UTF_8);
    boolean ok =
        BCrypt.verifyer()
            .verify(pw, (hash == null ? DUMMY : hash).getBytes(StandardCharsets.UTF_8))
            .verified;
    return ok && hash != null;
  }

  /** Throws when a password is too weak to be set. */
  public static void validate(String password) {
    if (password == null || password.length() < 8)
      throw new IllegalArgumentException("a password needs at least 8 characters");
    if (password.getBytes(StandardCharsets.UTF_8).length > 72)
      throw new IllegalArgumentException("a password may have at most 72 bytes (bcrypt's limit)");
  }

  /** A random password of {@code length} letters and digits (no look-alike characters). */
  public static String generate(int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return sb.toString();
  }

  /** Random bytes as lower-case hex, for session ids, CSRF tokens and API token secrets. */
  public static String randomHex(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return java.util.HexFormat.of().formatHex(b);
  }
}
