package io.sluice.ingest.randomuser;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ingest.source.SourceErrorException;
import io.sluice.ingest.source.SourceException;
import io.sluice.ingest.source.TransientSourceException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RandomUserParserTest {
  static byte[] fixture(String name) throws IOException {
    try (InputStream in =
        RandomUserParserTest.class.getResourceAsStream("/fixtures/randomuser/" + name)) {
      if (in == null) throw new IOException("missing fixture " + name);
      return in.readAllBytes();
    }
  }

  private static SourceUser only(String fixture) throws IOException {
    ParsedPage page = RandomUserParser.parse(fixture(fixture));
    assertThat(page.entries()).hasSize(1);
    assertThat(page.entries().get(0).error()).isNull();
    return page.entries().get(0).user();
  }

  @Test
  void version10StreetStringEpochDatesNumericPostcodeAndNoUuid() throws IOException {
    SourceUser u = only("v1.0.json");

    assertThat(u.firstName()).isEqualTo("romain");
    assertThat(u.lastName()).isEqualTo("hoogmoed");
    assertThat(u.address()).isEqualTo("1861 jan pieterszoon coenstraat, maasdriel, zeeland");
    assertThat(u.postCode()).isEqualTo("69217");
    assertThat(u.dob()).isEqualTo(Instant.ofEpochSecond(932871968));
    assertThat(u.registered()).isEqualTo(Instant.ofEpochSecond(1009669604));
    assertThat(u.username()).isEqualTo("lazyduck408");
    assertThat(u.picture()).isEqualTo("https://randomuser.me/api/portraits/med/men/83.jpg");
    assertThat(UUID.fromString(u.id()).version()).isEqualTo(5);
    assertThat(only("v1.0.json").id()).isEqualTo(u.id());
  }

  @Test
  void version11PlainDateStringsAndTextPostcode() throws IOException {
    SourceUser u = only("v1.1.json");

    assertThat(u.dob()).isEqualTo(Instant.parse("1983-07-14T07:29:45Z"));
    assertThat(u.registered()).isEqualTo(Instant.parse("2010-11-09T05:40:51Z"));
    assertThat(u.postCode()).isEqualTo("3145");
    assertThat(u.address()).isEqualTo("6917 Richmond Ave, Wollongong, Victoria");
    assertThat(u.gender()).isEqualTo("female");
  }

  @Test
  void version12CyrillicNamesDateObjectsAndNullIdValue() throws IOException {
    SourceUser u = only("v1.2.json");

    assertThat(u.id()).isEqualTo("155e77ee-ba6d-486f-95ce-0e0c0fb4b919");
    assertThat(u.firstName()).isEqualTo("Богдан");
    assertThat(u.lastName()).isEqualTo("Шевченко");
    assertThat(u.address()).isEqualTo("8425 Хрещатик, Київ, Київська");
    assertThat(u.dob()).isEqualTo(Instant.parse("1993-07-20T09:44:18Z"));
    assertThat(u.postCode()).isEqualTo("48312");
  }

  @Test
  void version13PersianScriptWithCountry() throws IOException {
    SourceUser u = only("v1.3.json");

    assertThat(u.firstName()).isEqualTo("نیایش");
    assertThat(u.address()).isEqualTo("9264 میدان شهید نظری, تهران, تهران, Iran");
    assertThat(u.registered()).isEqualTo(Instant.parse("2003-02-03T04:05:06.007Z"));
  }

  @Test
  void version14StreetObjectWithStraySpacesAndMissingOptionalFields() throws IOException {
    ParsedPage page = RandomUserParser.parse(fixture("v1.4.json"));

    assertThat(page.version()).isEqualTo("1.4");
    assertThat(page.seed()).isEqualTo("56d27f4a53bd5441");
    SourceUser jennie = page.entries().get(0).user();
    assertThat(jennie.id()).isEqualTo("7a0eed16-9430-4d68-901f-c0d4c1c3bf00");
    assertThat(jennie.address()).isEqualTo("8929 Valwood Pkwy, Billings, Michigan, United States");
    assertThat(jennie.postCode()).isEqualTo("63104");
    assertThat(jennie.dob()).isEqualTo(Instant.parse("1992-03-08T15:13:16.688Z"));
    assertThat(jennie.phone()).isEqualTo("(272) 790-0888");
    SourceUser juergen = page.entries().get(1).user();
    assertThat(juergen.firstName()).isEqualTo("Jürgen");
    assertThat(juergen.address()).isEqualTo("12 Schulstraße, Görlitz, Sachsen, Germany");
    assertThat(juergen.postCode()).isEqualTo("2826");
    assertThat(juergen.registered()).isEqualTo(Instant.parse("2020-02-29T12:00:00Z"));
  }

  @Test
  void oldWrappedUserWithEpochSecondsAsText() throws IOException {
    SourceUser u = only("wrapped-user.json");

    assertThat(u.firstName()).isEqualTo("Lily");
    assertThat(u.dob()).isEqualTo(Instant.ofEpochSecond(441763200));
    assertThat(u.picture()).isEqualTo("https://randomuser.me/api/portraits/women/1.jpg");
    assertThat(u.postCode()).isNull();
    assertThat(u.address()).isEqualTo("5 high street, york, north yorkshire");
  }

  @Test
  void usersThatCannotBeValidAreEntriesWithTheReasonNotDropped() throws IOException {
    ParsedPage page = RandomUserParser.parse(fixture("missing-fields.json"));

    assertThat(page.entries()).hasSize(3);
    assertThat(page.entries().get(0).valid()).isTrue();
    assertThat(page.entries().get(0).user().address()).isNull();
    assertThat(page.entries().get(1).error()).isEqualTo("missing name.first");
    assertThat(page.entries().get(2).error()).isEqualTo("dob is not a date: \"yesterday\"");
    assertThat(new String(page.entries().get(2).raw(), StandardCharsets.UTF_8))
        .contains("yesterday");
  }

  @Test
  void errorBodiesBecomeClearErrors() throws IOException {
    assertThatThrownBy(() -> RandomUserParser.parse(fixture("error-string.json")))
        .isInstanceOf(SourceErrorException.class)
        .hasMessageContaining("randomuser answered with an error")
        .hasMessageContaining("Uh oh, something has gone wrong");
    assertThatThrownBy(
            () ->
                RandomUserParser.parse(
                    "{\"error\":true,\"reason\":\"bad seed\"}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SourceErrorException.class)
        .hasMessageEndingWith("bad seed");
  }

  @Test
  void brokenJsonIsTransientAndUnexpectedShapeIsAnError() {
    assertThatThrownBy(
            () ->
                RandomUserParser.parse("{\"results\":[{\"name\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(TransientSourceException.class)
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(
            () -> RandomUserParser.parse("{\"users\":[]}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(SourceException.class)
        .hasMessageContaining("no \"results\" array");
  }

  @Test
  void theUuidV5IdDependsOnlyOnTheSourceRecord() throws IOException {
    String a = only("v1.0.json").id();
    String b = RandomUserParser.parse(fixture("v1.0.json")).entries().get(0).user().id();
    assertThat(a).isEqualTo(b).isNotEqualTo(UserIds.deterministicId(null, new byte[] {1}));
  }

  @Test
  void theStreamingReaderDecodesEveryAnswerAsTheTreeReaderDoes() throws IOException {
    String odd =
        "{\"info\":{\"seed\":\" s \",\"version\":1.4},\"results\":["
            + "{\"name\":{\"first\":\" Ada  Maria \",\"last\":\"L\"},\"email\":\"a@x\","
            + "\"login\":{\"uuid\":\"u-1\",\"username\":7},\"gender\":\"FEMALE\","
            + "\"location\":{\"street\":{\"number\":12,\"name\":\" Main  St \"},"
            + "\"city\":\"C\",\"state\":null,\"country\":[1],\"postcode\":12345678901234567890},"
            + "\"dob\":{\"date\":\"1990-01-02\",\"age\":35},\"registered\":\"2001-02-03 04:05:06\","
            + "\"picture\":{\"medium\":\"\",\"large\":\"L.jpg\"},\"phone\":true,\"nat\":\"DE\"},"
            + "{\"name\":{\"first\":\"B\",\"last\":\"C\"},\"email\":\"b@x\","
            + "\"login\":{\"uuid\":\"u-2\"},\"dob\":{\"date\":631152000}},"
            + "{\"name\":{\"first\":\"D\",\"last\":\"E\"},\"email\":\"d@x\","
            + "\"location\":{\"postcode\":1.5},\"login\":{\"uuid\":\"u-3\"}},"
            + "{\"name\":{\"first\":\"F\",\"last\":\"G\"},\"email\":\"f@x\",\"login\":{}},"
            + "{\"name\":{\"first\":\"H\"},\"email\":\"h@x\",\"login\":{\"uuid\":\"u-5\"}},"
            + "{\"user\":{\"name\":{\"first\":\"I\",\"last\":\"J\"},\"email\":\"i@x\"}},"
            + "{\"name\":{\"first\":\"K\",\"last\":\"L\"},\"email\":\"k@x\","
            + "\"login\":{\"uuid\":\"u-7\"},\"registered\":{\"date\":\"never\"}},"
            + "\"not a user\", null, [1, 2]"
            + "],\"extra\":{\"a\":[{\"b\":1}]}}";
    var answers = new java.util.ArrayList<byte[]>();
    answers.add(odd.getBytes(StandardCharsets.UTF_8));
    for (String f :
        new String[] {
          "v1.0.json",
          "v1.1.json",
          "v1.2.json",
          "v1.3.json",
          "v1.4.json",
          "missing-fields.json",
          "wrapped-user.json"
        }) answers.add(fixture(f));

    for (byte[] answer : answers) {
      ParsedPage streamed = RandomUserParser.parse(answer);
      ParsedPage tree = RandomUserParser.parseTree(answer);
      assertThat(streamed.seed()).isEqualTo(tree.seed());
      assertThat(streamed.version()).isEqualTo(tree.version());
      assertThat(streamed.entries()).hasSameSizeAs(tree.entries());
      for (int i = 0; i < tree.entries().size(); i++) {
        ParsedPage.Entry s = streamed.entries().get(i);
        ParsedPage.Entry t = tree.entries().get(i);
        assertThat(s.user()).isEqualTo(t.user());
        assertThat(s.error()).isEqualTo(t.error());
        assertThat(s.raw()).isEqualTo(t.raw());
      }
    }
    assertThat(RandomUserParser.parse(answers.get(0)).entries())
        .extracting(ParsedPage.Entry::valid)
        .containsExactly(true, true, true, true, false, true, false, false, false, false);
  }

  @Test
  void readsRandomUsersInstantsByHandExactlyAsJavaTimeDoes() {
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochMilli(random.nextLong(-2_208_988_800_000L, 4_102_444_800_000L));
      String text = t.toString().length() == 24 ? t.toString() : t.plusMillis(1).toString();
      if (text.length() != 24) continue;
      assertThat(RandomUserParser.dateText(text, "dob")).isEqualTo(Instant.parse(text));
    }
    for (String text :
        new String[] {
          "2024-02-29T23:59:59.999Z", "2000-01-01T00:00:00.000Z", "1900-03-01T12:30:45.001Z"
        }) {
      assertThat(RandomUserParser.utcMillis(text)).isEqualTo(Instant.parse(text));
    }
    // other shapes and invalid values are left to java.time, with its answer or its rejection
    assertThat(RandomUserParser.utcMillis("2021-06-01T10:00:00Z")).isNull();
    assertThat(RandomUserParser.utcMillis("2023-02-29T10:00:00.000Z")).isNull();
    assertThat(RandomUserParser.utcMillis("2023-01-01T24:00:00.000Z")).isNull();
    assertThat(RandomUserParser.utcMillis("2023-01-01T10:00:60.000Z")).isNull();
    assertThat(RandomUserParser.utcMillis("2023-0a-01T10:00:00.000Z")).isNull();
    assertThat(RandomUserParser.dateText("2021-06-01T10:00:00Z", "dob"))
        .isEqualTo(Instant.parse("2021-06-01T10:00:00Z"));
    assertThatThrownBy(() -> RandomUserParser.dateText("2023-02-29T10:00:00.000Z", "dob"))
        .hasMessageContaining("dob is not a date");
  }
}
