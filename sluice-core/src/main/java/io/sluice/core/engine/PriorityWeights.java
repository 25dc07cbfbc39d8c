package io.sluice.core.engine;

import io.sluice.api.Dag;
import io.sluice.api.TaskSpec;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Airflow's downstream priority weight: a task's own weight plus that of every task downstream of
 * it, so that the longest remaining paths start first. Computed once per DAG definition.
 */
final class PriorityWeights {
  private final Map<Dag, Map<String, Integer>> weights = new WeakHashMap<>();

  /** The weight of each task of {@code dag}, by task id. */
  Map<String, Integer> of(Dag dag) {
    synchronized (weights) {
      return weights.computeIfAbsent(
          dag,
          d -> {
            Map<String, Integer> w = new HashMap<>();
            for (TaskSpec t : d.tasks().values()) {
              int sum = t.priorityWeight();
              for (String down : d.allDownstream(t.taskId())) sum += d.task(down).priorityWeight();
              w.put(t.taskId(), sum);
            }
            return w;
          });
    }
  }
}
