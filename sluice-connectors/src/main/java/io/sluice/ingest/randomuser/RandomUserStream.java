package io.sluice.ingest.randomuser;

import static io.sluice.ingest.randomuser.RandomUserParser.clean;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.ingest.source.JsonBodies;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a Random User answer token by token, with no JSON tree: each user's fields go straight into
 * a {@link SourceUser}. A user in a shape this reader does not take on trust (the 1.0 {@code user}
 * wrapper, a missing or invalid field, no {@code login.uuid}, a date as a number, a decimal where
 * text belongs) is read again as a tree by {@link RandomUserParser}, as is an answer that is not a
 * plain object with a {@code results} array (an error body, invalid JSON), so every answer decodes
 * exactly as through the tree.
 */
final class RandomUserStream {
  /** Leaves one user, or the whole answer, to the tree reader. */
  private static final class Unusual extends Exception {
    static final Unusual INSTANCE = new Unusual();

    private Unusual() {
      super(null, null, false, false);
    }
  }

  private RandomUserStream() {}

  static ParsedPage parse(byte[] body) {
    try (JsonParser p = JsonBodies.mapper().getFactory().createParser(body)) {
      return page(p, body);
    } catch (IOException | Unusual e) {
      // why: the tree reader gives invalid JSON and odd answers their exact exception
      return RandomUserParser.parseTree(body);
    }
  }

  /** The compact tree of {@code body[from, to)}, one user of an answer. */
  static JsonNode tree(byte[] body, int from, int to) {
    try {
      return JsonBodies.mapper().readTree(body, from, to - from);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static ParsedPage page(JsonParser p, byte[] body) throws IOException, Unusual {
    if (p.nextToken() != JsonToken.START_OBJECT) throw Unusual.INSTANCE;
    List<ParsedPage.Entry> entries = null;
    JsonNode info = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (name) {
        case "error" -> throw Unusual.INSTANCE;
        case "results" -> {
          if (t != JsonToken.START_ARRAY || entries != null) throw Unusual.INSTANCE;
          entries = results(p, body);
        }
        case "info" -> info = p.readValueAsTree();
        default -> p.skipChildren();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT || entries == null) throw Unusual.INSTANCE;
    String seed = info == null ? null : RandomUserParser.text(info, "seed");
    String version = info != null && info.has("version") ? info.get("version").asText() : null;
    return new ParsedPage(entries, seed, version);
  }

  private static List<ParsedPage.Entry> results(JsonParser p, byte[] body) throws IOException {
    JsonStreamContext array = p.getParsingContext();
    List<ParsedPage.Entry> entries = new ArrayList<>();
    JsonToken t;
    while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
      if (t == null) throw new IOException("end of input inside results");
      if (t != JsonToken.START_OBJECT) {
        entries.add(RandomUserParser.entry(p.readValueAsTree()));
        continue;
      }
      int from = (int) p.currentTokenLocation().getByteOffset();
      SourceUser user;
      try {
        user = user(p);
      } catch (Unusual | RandomUserParser.InvalidUserException e) {
        while (p.currentToken() != JsonToken.END_OBJECT || p.getParsingContext() != array)
          if (p.nextToken() == null) throw new IOException("end of input inside a user");
        user = null;
      }
      int to = (int) p.currentLocation().getByteOffset();
      entries.add(
          user != null
              ? ParsedPage.Entry.of(user, body, from, to)
              : RandomUserParser.entry(tree(body, from, to)));
    }
    return entries;
  }

  /** One user object, from its first field to its end. */
  private static SourceUser user(JsonParser p) throws IOException, Unusual {
    var u = new Fields();
    fields(
        p,
        (name, t) -> {
          switch (name) {
            case "user" -> throw Unusual.INSTANCE;
            case "name" -> u.name(p, t);
            case "location" -> u.location(p, t);
            case "login" -> u.login(p, t);
            case "picture" -> u.picture(p, t);
            case "email" -> u.email = text(p, t);
            case "gender" -> u.gender = text(p, t);
            case "phone" -> u.phone = text(p, t);
            case "nat" -> u.nat = text(p, t);
            case "dob" -> u.dob = date(p, t, "dob");
            case "registered" -> u.registered = date(p, t, "registered");
            default -> p.skipChildren();
          }
        });
    return u.toUser();
  }

  /** Takes one field of an object: its name and the first token of its value. */
  private interface FieldReader {
    void field(String name, JsonToken value) throws IOException, Unusual;
  }

  /** Reads the fields of the object whose start was just read, up to its end. */
  private static void fields(JsonParser p, FieldReader reader) throws IOException, Unusual {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      reader.field(name, p.nextToken());
    }
  }

  /** A field as the tree reader's {@code text}: trimmed text, numbers as their text, else null. */
  static String text(JsonParser p, JsonToken t) throws IOException, Unusual {
    return switch (t) {
      case VALUE_STRING -> clean(p.getText());
      // why: a tree's integer node prints as its value, which is what getNumberValue gives
      case VALUE_NUMBER_INT -> p.getNumberValue().toString();
      case VALUE_TRUE -> "true";
      case VALUE_FALSE -> "false";
      case VALUE_NULL -> null;
      case START_OBJECT, START_ARRAY -> {
        p.skipChildren();
        yield null;
      }
      default -> throw Unusual.INSTANCE;
    };
  }

  /** A date as {@code {"date": "...", ...}} or as text; other forms go to the tree reader. */
  private static Instant date(JsonParser p, JsonToken t, String field) throws IOException, Unusual {
    if (t == JsonToken.VALUE_NULL) return null;
    if (t == JsonToken.VALUE_STRING) return RandomUserParser.dateText(clean(p.getText()), field);
    if (t != JsonToken.START_OBJECT) throw Unusual.INSTANCE;
    Instant date = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken v = p.nextToken();
      if (!name.equals("date")) p.skipChildren();
      else if (v == JsonToken.VALUE_STRING)
        date = RandomUserParser.dateText(clean(p.getText()), field);
      else if (v == JsonToken.VALUE_NULL) date = null;
      else throw Unusual.INSTANCE;
    }
    return date;
  }

  /** The fields of one user as they are read. */
  private static final class Fields {
    String first;
    String last;
    String email;
    String gender;
    String uuid;
    String username;
    String street;
    String city;
    String state;
    String country;
    String postcode;
    String phone;
    String nat;
    String medium;
    String large;
    String thumbnail;
    Instant dob;
    Instant registered;

    void name(JsonParser p, JsonToken t) throws IOException, Unusual {
      first = last = null;
      if (object(p, t))
        fields(
            p,
            (name, v) -> {
              switch (name) {
                case "first" -> first = text(p, v);
                case "last" -> last = text(p, v);
                default -> p.skipChildren();
              }
            });
    }

    void login(JsonParser p, JsonToken t) throws IOException, Unusual {
      uuid = username = null;
      if (object(p, t))
        fields(
            p,
            (name, v) -> {
              switch (name) {
                case "uuid" -> uuid = text(p, v);
                case "username" -> username = text(p, v);
                default -> p.skipChildren();
              }
            });
    }

    void picture(JsonParser p, JsonToken t) throws IOException, Unusual {
      medium = large = thumbnail = null;
      if (object(p, t))
        fields(
            p,
            (name, v) -> {
              switch (name) {
                case "medium" -> medium = text(p, v);
                case "large" -> large = text(p, v);
                case "thumbnail" -> thumbnail = text(p, v);
                default -> p.skipChildren();
              }
            });
    }

    void location(JsonParser p, JsonToken t) throws IOException, Unusual {
      street = city = state = country = postcode = null;
      if (object(p, t))
        fields(
            p,
            (name, v) -> {
              switch (name) {
                case "street" -> street = street(p, v);
                case "city" -> city = text(p, v);
                case "state" -> state = text(p, v);
                case "country" -> country = text(p, v);
                case "postcode" -> postcode = text(p, v);
                default -> p.skipChildren();
              }
            });
    }

    /** A street as {@code {number, name}} or as text. */
    private static String street(JsonParser p, JsonToken t) throws IOException, Unusual {
      if (t == JsonToken.VALUE_NULL) return null;
      if (t == JsonToken.START_ARRAY) throw Unusual.INSTANCE;
      if (t != JsonToken.START_OBJECT) return text(p, t);
      String[] parts = new String[2];
      fields(
          p,
          (name, v) -> {
            switch (name) {
              case "number" -> parts[0] = text(p, v);
              case "name" -> parts[1] = text(p, v);
              default -> p.skipChildren();
            }
          });
      return RandomUserParser.join(" ", parts[0], parts[1]);
    }

    /** Whether the value is an object to read; anything else holds none of its fields. */
    private static boolean object(JsonParser p, JsonToken t) throws IOException {
      if (t == JsonToken.START_OBJECT) return true;
      p.skipChildren();
      return false;
    }

    SourceUser toUser() throws Unusual {
      if (empty(first) || empty(last) || empty(email) || empty(uuid)) throw Unusual.INSTANCE;
      return new SourceUser(
          UserIds.deterministicId(uuid, null),
          first,
          last,
          RandomUserParser.lower(gender),
          RandomUserParser.address(street, city, state, country),
          postcode,
          email,
          username,
          dob,
          registered,
          phone,
          RandomUserParser.picture(medium, large, thumbnail),
          nat);
    }

    private static boolean empty(String s) {
      return s == null || s.isEmpty();
    }
  }
}
