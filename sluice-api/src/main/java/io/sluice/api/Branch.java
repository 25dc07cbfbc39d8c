package io.sluice.api;

import java.util.Arrays;
import java.util.Collection;
import java.util.Set;

/**
 * Returned by a branching task: the direct downstream tasks to follow. The other direct downstream
 * tasks are skipped (and, under the default trigger rule, everything below them).
 */
public record Branch(Set<String> follow) {
  public Branch {
    follow = Set.copyOf(follow);
  }

  public static Branch to(String... taskIds) {
    return new Branch(Set.copyOf(Arrays.asList(taskIds)));
  }

  public static Branch to(Collection<String> taskIds) {
    return new Branch(Set.copyOf(taskIds));
  }
}
