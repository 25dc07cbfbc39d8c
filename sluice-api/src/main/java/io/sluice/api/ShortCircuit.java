package io.sluice.api;

/**
 * Returned by a short-circuit task: when {@code proceed} is false, every task downstream of it is
 * skipped, whatever its trigger rule (Airflow's ShortCircuitOperator with the default {@code
 * ignore_downstream_trigger_rules=True}).
 */
public record ShortCircuit(boolean proceed) {}
