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

  /**
   * One user of the answer: either {@code user} or {@code error} is set. The user as it arrived is
   * kept as a JSON tree or as its place in the answer's bytes, and made into JSON bytes on demand.
   */
  public static final class Entry {
    private final SourceUser user;
    private final String error;
    private final JsonNode tree;
    private final byte[] body;
    private final int from;
    private final int to;

    private Entry(SourceUser user, String error, JsonNode tree, byte[] body, int from, int to) {
      this.user = user;
      this.error = error;
      this.tree = tree;
      this.body = body;
      this.from = from;
      this.to = to;
    }

    /** A valid user, read from a JSON tree. */
    static Entry of(SourceUser user, JsonNode source) {
      return new Entry(user, null, source, null, 0, 0);
    }

    /** A user that is not valid, with the reason. */
    static Entry invalid(String error, JsonNode source) {
      return new Entry(null, error, source, null, 0, 0);
    }

    /** A valid user, read from {@code body[from, to)}. */
    static Entry of(SourceUser user, byte[] body, int from, int to) {
      return new Entry(user, null, null, body, from, to);
    }

    public SourceUser user() {
      return user;
    }

    public String error() {
      return error;
    }

    public boolean valid() {
      return user != null;
    }

    /** The user as it arrived, as compact JSON bytes. */
    public byte[] raw() {
      return RandomUserParser.raw(tree != null ? tree : RandomUserStream.tree(body, from, to));
    }
  }
}
