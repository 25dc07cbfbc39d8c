package io.sluice.ingest.randomuser;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One decoded Random User answer: the users that passed validation and the ones that did not, in
 * the order of the answer.
 *
 * @param entries one per user of the answer
 * @param seed the seed the API reports in {@code info}, if any
 * @param version the API version it reports, if any
 */
public record ParsedPage(List<Entry> entries, String seed, String version) {
  public ParsedPage {
    entries = List.copyOf(entries);
  }

  /** One user of the answer: either {@code user} or {@code error} is set. */
  public record Entry(SourceUser user, String error, JsonNode source) {
    public boolean valid() {
      return user != null;
    }

    /** The user as it arrived, as JSON bytes. */
    public byte[] raw() {
      return RandomUserParser.raw(source);
    }
  }
}
