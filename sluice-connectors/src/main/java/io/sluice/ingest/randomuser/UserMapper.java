package io.sluice.ingest.randomuser;

import io.sluice.ingest.privacy.Privacy;
import io.sluice.ingest.record.User;
import java.time.Instant;

/** Turns a normalised source user into the published {@link User}, applying the privacy rules. */
public final class UserMapper {
  private final Privacy privacy;
  private final String runId;

  public UserMapper(Privacy privacy, String runId) {
    this.privacy = privacy;
    this.runId = runId;
  }

  public User toRecord(SourceUser s, Instant fetchedAt) {
    return new User(
        User.SCHEMA_VERSION,
        s.id(),
        s.firstName(),
        s.lastName(),
        s.gender(),
        s.address(),
        privacy.hashPostCode(s.postCode()),
        privacy.email(s.email()),
        s.username(),
        s.dob(),
        s.registered(),
        privacy.phone(s.phone()),
        s.picture(),
        User.SOURCE,
        fetchedAt,
        runId);
  }
}
