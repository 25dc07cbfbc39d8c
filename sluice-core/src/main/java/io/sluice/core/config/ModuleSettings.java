package io.sluice.core.config;

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
}
