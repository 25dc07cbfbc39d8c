package io.sluice.core.model;

/** A named number of slots that limits how many tasks run at once across DAGs. */
public record Pool(String name, int slots, String description) {}
