package io.sluice.ingest.randomuser;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.ingest.source.JsonBodies;
import io.sluice.ingest.source.SourceErrorException;
import io.sluice.ingest.source.SourceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.regex.Pattern;

/**
 * Decodes Random User answers of every API version from 1.0 to 1.4: a street as text or as {@code
 * {number, name}}, dates as {@code {date, age}}, as text or as epoch seconds, postcodes as numbers
 * or text, missing fields, any script, stray spaces. A user that cannot be made valid becomes an
 * entry with an error, never a silently dropped record.
 */
public final class RandomUserParser {
  static final String SOURCE = "randomuser";
  private static final Pattern WHITESPACE = Pattern.compile("\\s+");
  private static final Pattern INTEGER = Pattern.compile("-?\\d+");
  private static final Pattern OFFSET = Pattern.compile(".*[+-]\\d\\d:?\\d\\d$");
  private static final DateTimeFormatter SPACED =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  private RandomUserParser() {}

  /**
   * Decodes a whole answer.
   *
   * @throws io.sluice.ingest.source.TransientSourceException the body is not valid JSON (retry)
   * @throws SourceErrorException the body is an error body
   * @throws SourceException the body is JSON but not a Random User answer
   */
  public static ParsedPage parse(byte[] body) {
    return RandomUserStream.parse(body);
  }

  /** {@link #parse} through a JSON tree: for answers the streaming parser leaves to it. */
  static ParsedPage parseTree(byte[] body) {
    JsonNode root = JsonBodies.parse(SOURCE, body);
    var reason = JsonBodies.errorReason(root);
    if (reason.isPresent()) throw new SourceErrorException(SOURCE, 200, reason.get());
    JsonNode results = root.get("results");
    if (results == null || !results.isArray())
      throw new SourceException(SOURCE + ": answer has no \"results\" array: " + snippet(root));
    List<ParsedPage.Entry> entries = new ArrayList<>(results.size());
    for (JsonNode element : results) entries.add(entry(element));
    JsonNode info = root.path("info");
    return new ParsedPage(
        entries, text(info, "seed"), info.has("version") ? info.get("version").asText() : null);
  }

  static ParsedPage.Entry entry(JsonNode element) {
    try {
      return ParsedPage.Entry.of(toUser(element), element);
    } catch (InvalidUserException e) {
      return ParsedPage.Entry.invalid(e.getMessage(), element);
    }
  }

  /** The source bytes of a user, as the dead-letter topic and UUIDv5 ids take them. */
  static byte[] raw(JsonNode element) {
    try {
      return JsonBodies.mapper().writeValueAsBytes(element);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A user that cannot be turned into a valid record, with the reason. */
  static final class InvalidUserException extends RuntimeException {
    InvalidUserException(String message) {
      super(message);
    }
  }

  static SourceUser toUser(JsonNode node) {
    if (!node.isObject()) throw new InvalidUserException("user is not a JSON object");
    // why: API 0.x/1.0 wrapped each result as {"user": {...}}
    JsonNode u = node.has("user") && node.get("user").isObject() ? node.get("user") : node;
    JsonNode name = u.path("name");
    String first = required(text(name, "first"), "name.first");
    String last = required(text(name, "last"), "name.last");
    String email = required(text(u, "email"), "email");
    JsonNode login = u.path("login");
    String uuid = text(login, "uuid");
    // why: serialising the source record only when it is needed keeps parsing cheap
    String id = UserIds.deterministicId(uuid, uuid == null || uuid.isEmpty() ? raw(node) : null);
    JsonNode location = u.path("location");
    return new SourceUser(
        id,
        first,
        last,
        lower(text(u, "gender")),
        address(location),
        text(location, "postcode"),
        email,
        text(login, "username"),
        date(u.get("dob"), "dob"),
        date(u.get("registered"), "registered"),
        text(u, "phone"),
        picture(u.path("picture")),
        text(u, "nat"));
  }

  /** "number street, city, state, country" from whichever street form arrived. */
  static String address(JsonNode location) {
    JsonNode street = location.get("street");
    String streetText = null;
    if (street != null && street.isObject()) {
      String number = text(street, "number");
      String streetName = text(street, "name");
      streetText = join(" ", number, streetName);
    } else if (street != null && !street.isNull()) {
      streetText = clean(street.asText());
    }
    return address(
        streetText, text(location, "city"), text(location, "state"), text(location, "country"));
  }

  /** "street, city, state, country" of the parts that are there; null when none is. */
  static String address(String street, String city, String state, String country) {
    var parts = new StringJoiner(", ");
    for (String p : new String[] {street, city, state, country})
      if (p != null && !p.isEmpty()) parts.add(p);
    String result = parts.toString();
    return result.isEmpty() ? null : result;
  }

  static Instant date(JsonNode node, String field) {
    if (node == null || node.isNull() || node.isMissingNode()) return null;
    if (node.isObject()) return date(node.get("date"), field);
    if (node.isNumber()) {
      long v = node.asLong();
      // why: API 1.0 gave epoch seconds; treat implausibly large numbers as milliseconds
      return Math.abs(v) > 100_000_000_000L ? Instant.ofEpochMilli(v) : Instant.ofEpochSecond(v);
    }
    return dateText(clean(node.asText()), field);
  }

  /**
   * A date given as cleaned text: epoch seconds or milliseconds, ISO forms, "yyyy-MM-dd HH:mm:ss".
   */
  static Instant dateText(String s, String field) {
    if (s == null || s.isEmpty()) return null;
    Instant iso = utcMillis(s);
    if (iso != null) return iso;
    try {
      if (INTEGER.matcher(s).matches())
        return date(JsonBodies.mapper().getNodeFactory().numberNode(Long.parseLong(s)), field);
      if (s.length() == 10) return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC).toInstant();
      if (s.length() == 19 && s.charAt(10) == ' ')
        return LocalDateTime.parse(s, SPACED).toInstant(ZoneOffset.UTC);
      if (s.endsWith("Z")) return Instant.parse(s.replace(' ', 'T'));
      if (OFFSET.matcher(s).matches()) return OffsetDateTime.parse(s.replace(' ', 'T')).toInstant();
      return LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
    } catch (DateTimeParseException | NumberFormatException e) {
      throw new InvalidUserException(field + " is not a date: \"" + s + "\"");
    }
  }

  /**
   * The one shape Random User gives, {@code yyyy-MM-ddTHH:mm:ss.SSSZ}, read by hand: {@code
   * Instant.parse} (its formatter and resolver) took a third of a page thread's time. Null for any
   * other text or an invalid value, which {@link #dateText} reads (or rejects) as before.
   */
  static Instant utcMillis(String s) {
    if (s.length() != 24
        || s.charAt(4) != '-'
        || s.charAt(7) != '-'
        || s.charAt(10) != 'T'
        || s.charAt(13) != ':'
        || s.charAt(16) != ':'
        || s.charAt(19) != '.'
        || s.charAt(23) != 'Z') return null;
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 7);
    int day = digits(s, 8, 10);
    int hour = digits(s, 11, 13);
    int minute = digits(s, 14, 16);
    int second = digits(s, 17, 19);
    int millis = digits(s, 20, 23);
    // why: a leap second or an invalid day keeps java.time's own handling and message
    if ((year | month | day | hour | minute | second | millis) < 0
        || month < 1
        || month > 12
        || day < 1
        || day > 28 && day > YearMonth.of(year, month).lengthOfMonth()
        || hour > 23
        || minute > 59
        || second > 59) return null;
    long epochDay = LocalDate.of(year, month, day).toEpochDay();
    return Instant.ofEpochSecond(
        epochDay * 86_400 + hour * 3_600 + minute * 60 + second, millis * 1_000_000L);
  }

  /** The decimal number in {@code s[from, to)}, or -1 when a character is not a digit. */
  private static int digits(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') return -1;
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static String picture(JsonNode picture) {
    return picture(text(picture, "medium"), text(picture, "large"), text(picture, "thumbnail"));
  }

  /** The first picture URL that is there, medium first. */
  static String picture(String medium, String large, String thumbnail) {
    for (String url : new String[] {medium, large, thumbnail})
      if (url != null && !url.isEmpty()) return url;
    return null;
  }

  private static String required(String value, String field) {
    if (value == null || value.isEmpty()) throw new InvalidUserException("missing " + field);
    return value;
  }

  /** A field as trimmed text: numbers become their text, null and missing become null. */
  static String text(JsonNode parent, String field) {
    if (parent == null) return null;
    JsonNode v = parent.get(field);
    if (v == null || v.isNull() || v.isMissingNode() || v.isContainerNode()) return null;
    return clean(v.asText());
  }

  static String clean(String s) {
    if (s == null) return null;
    String t = s.strip();
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      // why: the regex is costly at 5000 users a page, and most values need no collapsing
      if (c > ' ' && c < 0x80) continue;
      if (Character.isWhitespace(c)
          && (c != ' ' || (i + 1 < t.length() && Character.isWhitespace(t.charAt(i + 1)))))
        return WHITESPACE.matcher(t).replaceAll(" ");
    }
    return t;
  }

  static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }

  static String join(String sep, String... parts) {
    var j = new StringJoiner(sep);
    for (String p : parts) if (p != null && !p.isEmpty()) j.add(p);
    String s = j.toString();
    return s.isEmpty() ? null : s;
  }

  private static String snippet(JsonNode root) {
    String s = root.toString();
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }
}
