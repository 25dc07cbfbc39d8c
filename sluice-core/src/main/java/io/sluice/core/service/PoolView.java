package io.sluice.core.service;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** A pool with the slots its queued and running tasks take (Airflow's {@code pools list}). */
@JsonPropertyOrder({"pool", "slots", "used_slots", "description"})
public record PoolView(
    @JsonProperty("pool") String pool,
    @JsonProperty("slots") int slots,
    @JsonProperty("used_slots") int usedSlots,
    @JsonProperty("description") String description)
    implements View {}
