package io.sluice.ingest.privacy;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import io.sluice.core.secrets.LocalSecrets;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The privacy rules of ingest: post codes replaced by a keyed HMAC-SHA256 (hex), and optionally
 * e-mail addresses and phone numbers masked. Thread-safe.
 */
public final class Privacy {
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;
  private final boolean maskContact;
  private final ThreadLocal<Mac> macs;

  public Privacy(byte[] key, boolean maskContact) {
    if (key.length < 16) throw new IllegalArgumentException("an HMAC key needs at least 16 bytes");
    this.key = new SecretKeySpec(key.clone(), ALGORITHM);
    this.maskContact = maskContact;
    this.macs =
        ThreadLocal.withInitial(
            () -> {
              try {
                Mac mac = Mac.getInstance(ALGORITHM);
                mac.init(this.key);
                return mac;
              } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
              }
            });
  }

  /**
   * The rules of the configuration: the key of {@code privacy.hmac-key}, or else the key stored
   * under {@code <data dir>/secrets/hmac.key}, generated (with a warning) on first use.
   */
  public static Privacy from(SluiceConfig config) {
    boolean mask = config.get(Settings.MASK_CONTACT);
    var configured = config.find(Settings.HMAC_KEY).filter(s -> !s.isBlank());
    if (configured.isPresent()) {
      byte[] key = configured.get().getBytes(StandardCharsets.UTF_8);
      if (key.length < 16)
        throw new IllegalArgumentException(
            Settings.HMAC_KEY.name() + " must be at least 16 characters long");
      return new Privacy(key, mask);
    }
    String hex =
        LocalSecrets.readOrCreate(
            LocalSecrets.dir(config).resolve("hmac.key"),
            HexFormat.of().formatHex(LocalSecrets.randomBytes(32)),
            "No "
                + Settings.HMAC_KEY.env()
                + " configured: generated an HMAC key for post codes; post code hashes change"
                + " with the key");
    return new Privacy(HexFormat.of().parseHex(hex), mask);
  }

  /** HMAC-SHA256 of the post code as lowercase hex; null stays null. */
  public String hashPostCode(String postCode) {
    if (postCode == null) return null;
    return HexFormat.of().formatHex(macs.get().doFinal(postCode.getBytes(StandardCharsets.UTF_8)));
  }

  public String email(String email) {
    if (!maskContact || email == null) return email;
    int at = email.indexOf('@');
    if (at <= 0) return "***";
    return email.charAt(0) + "***" + email.substring(at);
  }

  public String phone(String phone) {
    if (!maskContact || phone == null) return phone;
    int digits = 0;
    for (char c : phone.toCharArray()) if (Character.isDigit(c)) digits++;
    var sb = new StringBuilder(phone.length());
    int seen = 0;
    for (char c : phone.toCharArray()) {
      if (Character.isDigit(c)) {
        seen++;
        sb.append(seen > digits - 2 ? c : '*');
      } else sb.append(c);
    }
    return sb.toString();
  }
}
