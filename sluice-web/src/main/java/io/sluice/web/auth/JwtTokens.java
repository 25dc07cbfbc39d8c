package io.sluice.web.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.UUID;

/**
 * The JSON Web Tokens of {@code POST /auth/token} (Airflow 3's API authentication): HS256, signed
 * with a key drawn at start, so a token ends with its lifetime or with the server process.
 */
public final class JwtTokens {
  private static final String ISSUER = "sluice";

  private final byte[] key = new byte[32];
  private final Clock clock;
  private final Duration lifetime;

  public JwtTokens(Clock clock, Duration lifetime) {
    new SecureRandom().nextBytes(key);
    this.clock = clock;
    this.lifetime = lifetime;
  }

  public Duration lifetime() {
    return lifetime;
  }

  /** A signed token naming the user. */
  public String issue(String username) {
    Instant now = clock.instant();
    JWTClaimsSet claims =
        new JWTClaimsSet.Builder()
            .issuer(ISSUER)
            .subject(username)
            .jwtID(UUID.randomUUID().toString())
            .issueTime(Date.from(now))
            .notBeforeTime(Date.from(now))
            .expirationTime(Date.from(now.plus(lifetime)))
            .build();
    SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
    try {
      jwt.sign(new MACSigner(key));
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a token", e);
    }
    return jwt.serialize();
  }

  /** The user a token names, when its signature, issuer and validity period check out. */
  public Optional<String> verify(String token) {
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
      return Optional.ofNullable(c.getSubject());
    } catch (ParseException | JOSEException e) {
      return Optional.empty();
    }
  }

  /** True when a bearer credential has a JWT's shape (three dot-separated parts). */
  static boolean looksLikeJwt(String credential) {
    return credential.chars().filter(ch -> ch == '.').count() == 2;
  }
}
