package io.sluice.cli;

import io.sluice.core.config.ConfigException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.local.StackEndpoints;

/**
 * Makes a command a client of the local stack running from the configured data directory: the
 * endpoints in its {@code run/endpoints.json} (Kafka, Cassandra, S3, the metadata database, the
 * schema registry and the API simulators) become this process's configuration wherever the user set
 * no value of their own. An explicit value (environment, {@code sluice.yaml}) always wins; with no
 * stack running nothing changes, and the REST sources stay the public APIs.
 */
public interface RunningStack {
  /**
   * Publishes the running stack's endpoints into this process's configuration ({@link
   * SluiceConfig#publish}), so that the command and every task it runs in process see them.
   */
  static void useIfRunning() {
    SluiceConfig config;
    try {
      config = SluiceConfig.load();
    } catch (ConfigException e) {
      return; // why: the command loads the configuration itself and reports the error
    }
    StackEndpoints.running(config.dataDir())
        .ifPresent(e -> SluiceConfig.publish(e.applyTo(config, config.dataDir())));
  }

  /**
   * Marks the commands that start a stack ({@code up}, {@code stack up}): they own the data
   * directory's servers instead of being a client of them.
   */
  interface Owner {}
}
