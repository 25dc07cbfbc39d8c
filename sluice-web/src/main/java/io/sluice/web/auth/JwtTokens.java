package io.sluice.web.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.secrets.LocalSecrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The JSON Web Tokens of {@code POST /auth/token} (Airflow 3's API authentication): HS256, signed
 * with a key every web server of the installation shares ({@code <data dir>/secrets/jwt.key}), so a
 * token outlives a restart and works on each of them. A token carries a keyed fingerprint of the
 * user's record ({@link UserRepository#stamp}): it ends with its lifetime, or as soon as the user
 * is deleted or gets a new password or role.
 */
public final class JwtTokens {
  private static final String ISSUER = "sluice";
  private static final String STAMP_CLAIM = "sluice_stamp";

  private final byte[] key;
  private final Clock clock;
  private final Duration lifetime;

  /**
   * @param key the HS256 key, at least 32 bytes
   */
  public JwtTokens(byte[] key, Clock clock, Duration lifetime) {
    if (key.length < 32) throw new IllegalArgumentException("a JWT key needs at least 32 bytes");
    this.key = key.clone();
    this.clock = clock;
    this.lifetime = lifetime;
  }

  /** The key kept with the local secrets of {@code config}'s data directory, made on first use. */
  public static byte[] localKey(SluiceConfig config) {
    return HexFormat.of()
        .parseHex(
            LocalSecrets.readOrCreate(
                LocalSecrets.dir(config).resolve("jwt.key"),
                HexFormat.of().formatHex(LocalSecrets.randomBytes(32)),
                "generated the signing key of the API's JSON Web Tokens"));
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** A signed token naming the user and fingerprinting {@code stamp}, the user's record. */
  public String issue(String username, String stamp) {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(username)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .claim(STAMP_CLAIM, fingerprint(stamp))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }

  /**
   * The user a token names, when its signature, issuer and validity period check out and the user's
   * record ({@code stampOf}) is still the one it was issued on.
   */
  public Optional<String> verify(String token, Function<String, Optional<String>> stampOf) {
    try {
      SignedJWT jwt = SignedJWT.parse(token);
      if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())
          || !jwt.verify(new MACVerifier(key))) return Optional.empty();
      JWTClaimsSet c = jwt.getJWTClaimsSet();
      Date now = Date.from(clock.instant());
      if (!ISSUER.equals(c.getIssuer())
          || c.getExpirationTime() == null
          || !now.before(c.getExpirationTime())
          || (c.getNotBeforeTime() != null && now.before(c.getNotBeforeTime())))
        return Optional.empty();
      String user = c.getSubject();
      Object claimed = c.getClaim(STAMP_CLAIM);
      if (user == null || !(claimed instanceof String given)) return Optional.empty();
      return stampOf
          .apply(user)
          .filter(
              s ->
                  MessageDigest.isEqual(
                      fingerprint(s).getBytes(StandardCharsets.US_ASCII),
                      given.getBytes(StandardCharsets.US_ASCII)))
          .map(s -> user);
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }

  // why: keyed, so that the token (readable by anyone holding it) reveals nothing of the record
  private String fingerprint(String stamp) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(stamp.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
    }
  }

  /** True when a bearer credential has a JWT's shape (three dot-separated parts). */
  static boolean looksLikeJwt(String credential) {
    return credential.chars().filter(ch -> ch == '.').count() == 2;
  }
}
