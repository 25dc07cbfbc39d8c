package io.sluice.core.secrets;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks secrets in what Sluice shows (REST API, CLI, logs, {@code sluice config}), by key name and
 * by value: a {@code password=...} or {@code secret="..."} pair inside a value (JAAS
 * configurations, JDBC and query strings) and the password of a URL's user info are replaced by
 * {@link #MASK}, whatever the key the value is stored under.
 *
 * {@snippet :
 * Masking.value("sasl.jaas.config", "... username=\"u\" password=\"p\";");
 * // ... username="u" password="***";
 * }
 */
public final class Masking {
  /** What a masked secret reads as. */
  public static final String MASK = "***";

  private static final Pattern SENSITIVE_KEY =
      Pattern.compile(
          "(?i).*(password|passwd|pwd|secret|token|api_?key|private_?key|access_?key|credential"
              + "|authorization|jaas).*");

  /** {@code name=value}, {@code name="value"} or {@code name: value} for a sensitive name. */
  private static final Pattern PAIR =
      Pattern.compile(
          "(?i)((?:password|passwd|pwd|secret|token|api_?key|private_?key|access_?key"
              + "|credentials?)[\\w.-]*[\"']?\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\s;,&\"']+)");

  /** The password of a URL's user info: {@code scheme://user:password@host}. */
  private static final Pattern USER_INFO =
      Pattern.compile("(\\w[\\w+.-]*://[^:/@\\s]*):[^@/\\s]*@");

  private Masking() {}

  /** True when a value stored under {@code key} is a secret as a whole. */
  public static boolean sensitiveKey(String key) {
    return key != null && SENSITIVE_KEY.matcher(key).matches();
  }

  /** {@link #MASK} for a sensitive key, else the value with any secret inside it masked. */
  public static String value(String key, String value) {
    if (value == null || value.isEmpty()) return value;
    if (sensitiveKey(key)) return MASK;
    return inText(value);
  }

  /** The text with every {@code password=...} pair and URL password masked. */
  public static String inText(String text) {
    if (text == null || text.isEmpty()) return text;
    String lower = text.toLowerCase(Locale.ROOT);
    String out = text;
    if (lower.contains("@")) out = USER_INFO.matcher(out).replaceAll("$1:" + MASK + "@");
    Matcher m = PAIR.matcher(out);
    StringBuilder sb = new StringBuilder();
    while (m.find()) {
      String v = m.group(2);
      String masked =
          v.startsWith("\"") ? "\"" + MASK + "\"" : v.startsWith("'") ? "'" + MASK + "'" : MASK;
      m.appendReplacement(sb, Matcher.quoteReplacement(m.group(1) + masked));
    }
    m.appendTail(sb);
    return sb.toString();
  }
}
