package io.sluice.local.simulator;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Answers like {@code https://randomuser.me/api/} (version 1.4). The n-th user of a seed depends
 * only on the seed and n, so page p of size s always holds users (p-1)*s .. p*s-1 of that seed.
 */
final class RandomUserApi {
  static final int MAX_RESULTS = 5000;
  static final Set<String> FIELDS =
      Set.of(
          "gender",
          "name",
          "location",
          "email",
          "login",
          "registered",
          "dob",
          "phone",
          "cell",
          "id",
          "picture",
          "nat");
  private static final JsonFactory JSON = new JsonFactory();
  private static final DateTimeFormatter ISO_MILLIS =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final long NOW = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
  private static final long YEAR_MS = 365L * 24 * 3600 * 1000;

  /** A failed request: HTTP status and the JSON error text randomuser.me would give. */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  byte[] answer(Map<String, String> query) {
    int results = parseInt(query.getOrDefault("results", "1"), "results");
    if (results < 1) results = 1;
    if (results > MAX_RESULTS) results = MAX_RESULTS;
    int page = Math.max(1, parseInt(query.getOrDefault("page", "1"), "page"));
    String seed = query.get("seed");
    if (seed == null || seed.isBlank())
      seed = HexFormat.of().toHexDigits(new SplittableRandom().nextLong());
    List<Nationality> nats = nationalities(query.get("nat"));
    String gender = query.get("gender");
    if (gender != null && !gender.equals("male") && !gender.equals("female")) gender = null;
    Set<String> fields = fields(query.get("inc"), query.get("exc"));

    var out = new ByteArrayOutputStream(results * 1100 + 256);
    try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeArrayFieldStart("results");
      long first = (long) (page - 1) * results;
      long seedHash = hash(seed);
      for (int i = 0; i < results; i++)
        writeUser(g, new SplittableRandom(mix(seedHash, first + i)), nats, gender, fields);
      g.writeEndArray();
      g.writeObjectFieldStart("info");
      g.writeStringField("seed", seed);
      g.writeNumberField("results", results);
      g.writeNumberField("page", page);
      g.writeStringField("version", "1.4");
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static void writeUser(
      JsonGenerator g,
      SplittableRandom r,
      List<Nationality> nats,
      String genderFilter,
      Set<String> fields)
      throws IOException {
    Nationality nat = nats.get(r.nextInt(nats.size()));
    String gender = genderFilter != null ? genderFilter : (r.nextBoolean() ? "male" : "female");
    boolean male = gender.equals("male");
    String first = pick(r, male ? nat.maleFirst() : nat.femaleFirst());
    String last = pick(r, nat.last());
    String title = male ? "Mr" : pick(r, List.of("Ms", "Mrs", "Miss"));
    int streetNumber = 1 + r.nextInt(9999);
    String street = pick(r, nat.streets());
    String city = pick(r, nat.cities());
    String state = pick(r, nat.states());
    Object postcode = nat.postcode().apply(r);
    String username =
        pick(r, List.of("blue", "red", "silver", "lazy", "happy", "crazy", "tiny", "heavy"))
            + pick(r, List.of("frog", "bird", "tiger", "swan", "koala", "wolf", "fish", "cat"))
            + r.nextInt(1000);
    String password = pick(r, List.of("addison", "sunshine", "qwerty", "dragon", "1234", "zxcvbn"));
    UUID uuid =
        new UUID((r.nextLong() & ~0xF000L) | 0x4000L, (r.nextLong() & ~(3L << 62)) | (1L << 63));
    long dob = NOW - (18 * YEAR_MS) - (long) (r.nextDouble() * 60 * YEAR_MS);
    long registered = NOW - (long) (r.nextDouble() * 20 * YEAR_MS);
    int portrait = r.nextInt(100);
    String emailLocal = ascii(first) + "." + ascii(last);

    g.writeStartObject();
    if (fields.contains("gender")) g.writeStringField("gender", gender);
    if (fields.contains("name")) {
      g.writeObjectFieldStart("name");
      g.writeStringField("title", title);
      g.writeStringField("first", first);
      g.writeStringField("last", last);
      g.writeEndObject();
    }
    if (fields.contains("location")) {
      g.writeObjectFieldStart("location");
      g.writeObjectFieldStart("street");
      g.writeNumberField("number", streetNumber);
      g.writeStringField("name", street);
      g.writeEndObject();
      g.writeStringField("city", city);
      g.writeStringField("state", state);
      g.writeStringField("country", nat.country());
      if (postcode instanceof Integer n) g.writeNumberField("postcode", n);
      else g.writeStringField("postcode", postcode.toString());
      g.writeObjectFieldStart("coordinates");
      g.writeStringField("latitude", String.format(Locale.ROOT, "%.4f", r.nextDouble() * 180 - 90));
      g.writeStringField(
          "longitude", String.format(Locale.ROOT, "%.4f", r.nextDouble() * 360 - 180));
      g.writeEndObject();
      g.writeObjectFieldStart("timezone");
      int offset = r.nextInt(25) - 12;
      g.writeStringField("offset", (offset < 0 ? "-" : "+") + Math.abs(offset) + ":00");
      g.writeStringField("description", "UTC" + (offset < 0 ? "-" : "+") + Math.abs(offset));
      g.writeEndObject();
      g.writeEndObject();
    }
    if (fields.contains("email")) g.writeStringField("email", emailLocal + "@example.com");
    if (fields.contains("login")) {
      g.writeObjectFieldStart("login");
      g.writeStringField("uuid", uuid.toString());
      g.writeStringField("username", username);
      g.writeStringField("password", password);
      g.writeStringField("salt", HexFormat.of().toHexDigits(r.nextInt()));
      g.writeStringField("md5", hex(r, 2));
      g.writeStringField("sha1", hex(r, 3));
      g.writeStringField("sha256", hex(r, 4));
      g.writeEndObject();
    }
    if (fields.contains("dob")) dated(g, "dob", dob);
    if (fields.contains("registered")) dated(g, "registered", registered);
    if (fields.contains("phone")) g.writeStringField("phone", phone(r, nat.phoneFormat()));
    if (fields.contains("cell")) g.writeStringField("cell", phone(r, nat.phoneFormat()));
    if (fields.contains("id")) {
      g.writeObjectFieldStart("id");
      g.writeStringField("name", nat.idName());
      if (nat.idName().isEmpty()) g.writeNullField("value");
      else g.writeStringField("value", phone(r, "###-##-####"));
      g.writeEndObject();
    }
    if (fields.contains("picture")) {
      String folder = male ? "men" : "women";
      g.writeObjectFieldStart("picture");
      g.writeStringField(
          "large", "https://randomuser.me/api/portraits/" + folder + "/" + portrait + ".jpg");
      g.writeStringField(
          "medium", "https://randomuser.me/api/portraits/med/" + folder + "/" + portrait + ".jpg");
      g.writeStringField(
          "thumbnail",
          "https://randomuser.me/api/portraits/thumb/" + folder + "/" + portrait + ".jpg");
      g.writeEndObject();
    }
    if (fields.contains("nat")) g.writeStringField("nat", nat.code());
    g.writeEndObject();
  }

  private static void dated(JsonGenerator g, String name, long epochMillis) throws IOException {
    g.writeObjectFieldStart(name);
    g.writeStringField("date", ISO_MILLIS.format(Instant.ofEpochMilli(epochMillis)));
    g.writeNumberField("age", (int) ((NOW - epochMillis) / YEAR_MS));
    g.writeEndObject();
  }

  private static String phone(SplittableRandom r, String format) {
    var sb = new StringBuilder(format.length());
    for (char c : format.toCharArray()) sb.append(c == '#' ? (char) ('0' + r.nextInt(10)) : c);
    return sb.toString();
  }

  private static String hex(SplittableRandom r, int longs) {
    var sb = new StringBuilder();
    for (int i = 0; i < longs; i++) sb.append(HexFormat.of().toHexDigits(r.nextLong()));
    return sb.toString();
  }

  private static String fixed4(double v) {
    return java.math.BigDecimal.valueOf(Math.round(v * 10_000), 4).toPlainString();
  }

  private static final java.util.Map<String, String> ASCII =
      new java.util.concurrent.ConcurrentHashMap<>();

  private static String ascii(String s) {
    // why: names come from short lists; the normalisation is costly at 5000 users per page
    return ASCII.computeIfAbsent(s, RandomUserApi::toAscii);
  }

  private static String toAscii(String s) {
    String plain =
        java.text.Normalizer.normalize(s, java.text.Normalizer.Form.NFD)
            .replaceAll("\\p{M}", "")
            .replace("ß", "ss")
            .replace("ø", "o")
            .replace("Ø", "O")
            .replace("ı", "i")
            .replaceAll("[^A-Za-z]", "")
            .toLowerCase(Locale.ROOT);
    return plain.isEmpty() ? "user" : plain;
  }

  private static String pick(SplittableRandom r, List<String> values) {
    return values.get(r.nextInt(values.size()));
  }

  private static List<Nationality> nationalities(String nat) {
    var picked = new ArrayList<Nationality>();
    if (nat != null)
      for (String code : nat.split(",")) {
        Nationality n = Nationality.ALL.get(code.trim().toUpperCase(Locale.ROOT));
        if (n != null) picked.add(n);
      }
    // why: randomuser.me ignores unknown nationalities and falls back to all of them
    return picked.isEmpty() ? List.copyOf(Nationality.ALL.values()) : picked;
  }

  private static Set<String> fields(String inc, String exc) {
    Set<String> fields = new LinkedHashSet<>(FIELDS);
    if (inc != null && !inc.isBlank()) {
      fields.clear();
      for (String f : inc.split(",")) if (FIELDS.contains(f.trim())) fields.add(f.trim());
    }
    if (exc != null) for (String f : exc.split(",")) fields.remove(f.trim());
    return fields;
  }

  private static int parseInt(String raw, String name) {
    try {
      return Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new BadRequest("Invalid value for " + name + ": " + raw);
    }
  }

  private static long hash(String seed) {
    long h = 1125899906842597L;
    for (int i = 0; i < seed.length(); i++) h = 31 * h + seed.charAt(i);
    return h;
  }

  static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
