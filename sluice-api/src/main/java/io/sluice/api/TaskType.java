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

  /**
   * Whether {@code task} is one this type creates, so that a DAG's views name its type ({@code
   * shell}, {@code stream}) rather than a class. By default: a task of this type's own class or of
   * a class nested in it, its lambdas included; a type whose tasks are of another class says so.
   */
  default boolean creates(Task task) {
    String cls = task.getClass().getName();
    String host = getClass().getName();
    return cls.equals(host) || cls.startsWith(host + "$");
  }
}
