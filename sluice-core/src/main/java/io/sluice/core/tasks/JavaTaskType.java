package io.sluice.core.tasks;

import io.sluice.api.Task;
import io.sluice.api.TaskOptions;
import io.sluice.api.TaskType;
import java.util.concurrent.Callable;

/**
 * {@code type: java}, {@code class: com.acme.MyTask}: instantiates a class with a public no-arg
 * constructor implementing {@link Task} or {@link Callable}; its result becomes the XCom.
 */
public final class JavaTaskType implements TaskType {
  @Override
  public String name() {
    return "java";
  }

  @Override
  public Task create(TaskOptions options) {
    String className = options.required("class");
    Class<?> c;
    try {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      c = Class.forName(className, false, cl == null ? getClass().getClassLoader() : cl);
    } catch (ClassNotFoundException e) {
      throw new IllegalArgumentException("class '" + className + "' not found on the class path");
    }
    if (!Task.class.isAssignableFrom(c) && !Callable.class.isAssignableFrom(c))
      throw new IllegalArgumentException(
          "class '" + className + "' implements neither io.sluice.api.Task nor Callable");
    try {
      c.getConstructor();
    } catch (NoSuchMethodException e) {
      throw new IllegalArgumentException(
          "class '" + className + "' has no public no-argument constructor");
    }
    return ctx -> {
      Object instance = c.getConstructor().newInstance();
      if (instance instanceof Task t) return t.execute(ctx);
      return ((Callable<?>) instance).call();
    };
  }
}
