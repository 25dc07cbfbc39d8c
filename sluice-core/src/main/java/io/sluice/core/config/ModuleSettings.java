package io.sluice.core.config;

import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

/**
 * The settings a module owns, declared in that module and found with {@link
 * java.util.ServiceLoader} (a {@code META-INF/services/io.sluice.core.config.ModuleSettings}
 * entry), so that the core knows only the mechanism. {@link Settings#all()} lists them after the
 * core's own; {@code sluice config}, the YAML file and the environment see them like any other key.
 */
public interface ModuleSettings {
  /** The module's keys, in the order {@code sluice config} lists them. */
  List<ConfigKey<?>> keys();

  /** The {@code public static ConfigKey} fields of {@code holder}, in declaration order. */
  static List<ConfigKey<?>> declaredIn(Class<?> holder) {
    var keys = new ArrayList<ConfigKey<?>>();
    for (var f : holder.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == ConfigKey.class) {
        try {
          keys.add((ConfigKey<?>) f.get(null));
        } catch (IllegalAccessException e) {
          throw new IllegalStateException(e);
        }
      }
    }
    return keys;
  }
}
