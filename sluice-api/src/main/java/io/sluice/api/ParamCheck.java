package io.sluice.api;

import java.time.Instant;
import java.util.Map;

/**
 * A check over several params of one trigger, such as an end date that must not come before a start
 * date. It runs after every param has passed its own type and range checks.
 */
@FunctionalInterface
public interface ParamCheck {
  /**
   * @param params the DAG's defaults overridden by the trigger's conf, each already valid alone
   * @param now the time of the trigger
   * @throws InvalidParamException naming the param at fault
   */
  void check(Map<String, Object> params, Instant now);
}
