package io.sluice.cli.topics;

import io.sluice.cli.CliException;
import io.sluice.core.config.SluiceConfig;
import io.sluice.ingest.kafka.KafkaSettings;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.KafkaFuture;

/** Waits on Admin results, turning failures into one-line CLI errors that name the broker. */
final class Kafka {
  private Kafka() {}

  static <T> T await(SluiceConfig config, KafkaFuture<T> future) {
    try {
      return future.get(30, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new CliException(
          "Kafka at "
              + KafkaSettings.bootstrap(config)
              + " did not answer within 30 s (is it running? try `sluice stack status`)");
    } catch (ExecutionException e) {
      throw new CliException(e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
