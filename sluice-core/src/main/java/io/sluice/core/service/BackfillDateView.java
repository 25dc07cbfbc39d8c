package io.sluice.core.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.time.Instant;

/**
 * One logical date of a backfill: the run it has ({@code run_id}, {@code state}), or why the
 * backfill left it alone ({@code exception_reason}); {@code state} is {@code pending} until the
 * scheduler reaches it.
 */
@JsonPropertyOrder({"logical_date", "run_id", "state", "exception_reason"})
public record BackfillDateView(
    @JsonProperty("logical_date") Instant logicalDate,
    @JsonProperty("run_id") String runId,
    @JsonProperty("state") String state,
    @JsonProperty("exception_reason") String exceptionReason)
    implements View {}
