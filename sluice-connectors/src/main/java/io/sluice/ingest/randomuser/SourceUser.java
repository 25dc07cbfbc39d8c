package io.sluice.ingest.randomuser;

import java.time.Instant;

/**
 * A Random User record normalised across API versions 1.0 to 1.4, before privacy rules apply:
 * {@code postCode} is still the raw code.
 */
public record SourceUser(
    String id,
    String firstName,
    String lastName,
    String gender,
    String address,
    String postCode,
    String email,
    String username,
    Instant dob,
    Instant registered,
    String phone,
    String picture,
    String nat) {}
