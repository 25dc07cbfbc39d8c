package io.sluice.core.secrets;

import io.sluice.core.config.Settings;
import io.sluice.core.config.SluiceConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (connection passwords and extras) with AES-256-GCM. The key is the
 * SHA-256 of {@code secrets.key} ({@code SLUICE_SECRET_KEY}); when none is configured, a random key
 * is generated once under {@code <data dir>/secrets/secret.key}. Ciphertexts are versioned ({@code
 * v1:} + base64 of IV and ciphertext) so the scheme can change without losing stored values.
 */
public final class SecretBox {
  private static final String V1 = "v1:";
  private static final int IV_BYTES = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKeySpec key;

  public SecretBox(byte[] keyMaterial) {
    try {
      this.key = new SecretKeySpec(MessageDigest.getInstance("SHA-256").digest(keyMaterial), "AES");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The box of the configured key, or of the key generated under the data directory. */
  public static SecretBox of(SluiceConfig config) {
    var configured = config.find(Settings.SECRET_KEY);
    if (configured.isPresent())
      return new SecretBox(configured.get().getBytes(StandardCharsets.UTF_8));
    String stored =
        LocalSecrets.readOrCreate(
            LocalSecrets.dir(config).resolve("secret.key"),
            Base64.getEncoder().encodeToString(LocalSecrets.randomBytes(32)),
            "No SLUICE_SECRET_KEY configured: generated a key for secrets at rest;"
                + " stored connections cannot be decrypted without it");
    return new SecretBox(Base64.getDecoder().decode(stored));
  }

  /** Encrypts {@code plain}; null stays null. */
  public String encrypt(String plain) {
    if (plain == null) return null;
    try {
      byte[] iv = new byte[IV_BYTES];
      RANDOM.nextBytes(iv);
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
      byte[] ct = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] out = new byte[iv.length + ct.length];
      System.arraycopy(iv, 0, out, 0, iv.length);
      System.arraycopy(ct, 0, out, iv.length, ct.length);
      return V1 + Base64.getEncoder().encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt", e);
    }
  }

  /** Decrypts what {@link #encrypt} made; fails clearly on a wrong key or a damaged value. */
  public String decrypt(String stored) {
    if (stored == null) return null;
    if (!stored.startsWith(V1))
      throw new IllegalArgumentException("unknown secret format (expected " + V1 + "...)");
    try {
      byte[] all = Base64.getDecoder().decode(stored.substring(V1.length()));
      Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
      c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, all, 0, IV_BYTES));
      return new String(c.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "cannot decrypt a stored secret: the secret key (SLUICE_SECRET_KEY or <data dir>/secrets/secret.key) is not the one it was stored with");
    }
  }
}
