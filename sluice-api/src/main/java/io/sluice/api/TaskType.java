package io.sluice.api;

/**
 * A task type usable in YAML DAG files ({@code type: shell}). Implementations are found with {@link
 * java.util.ServiceLoader} ({@code META-INF/services/io.sluice.api.TaskType}).
 *
 * <p>{@link #create} is called when a DAG file is loaded, on the loader thread; it validates the
 * options and throws {@link IllegalArgumentException} with a message naming the bad option, which
 * becomes an import error of the file (with its line). It must not connect to anything: the
 * returned task does its work when executed.
 */
public interface TaskType {
  /** The name used in {@code type:}. */
  String name();

  Task create(TaskOptions options);
}
