package io.sluice.local;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Turns the embedded servers' INFO chatter (Kafka logs hundreds of lines per start) down to WARN,
 * unless a logback configuration sets those loggers explicitly.
 */
final class QuietLogging {
  private static final List<String> NOISY =
      List.of(
          "kafka",
          "org.apache.kafka",
          "state.change.logger",
          "org.gaul",
          "org.eclipse.jetty",
          "com.datastax.oss.driver",
          "org.h2",
          "software.amazon.awssdk",
          "io.netty");

  // why: warns on every first start of a healthy node ("the metadata log appears to be empty");
  // the nodes of a cluster, started side by side, warn that their peers are not up yet
  private static final List<String> ROUTINE_WARNINGS =
      List.of(
          "org.apache.kafka.controller.QuorumController",
          "org.apache.kafka.clients.NetworkClient",
          "org.apache.kafka.raft.KafkaRaftClient");

  // why: while a cluster elects its controller, nodes log each request sent to a non-leader
  // (NotControllerException) and each slow event of a busy machine as errors, with stack traces
  private static final List<String> ELECTION_NOISE =
      List.of("kafka.server.ControllerApis", "org.apache.kafka.controller.EventPerformanceMonitor");

  private QuietLogging() {}

  static void apply() {
    if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) return;
    try {
      // why: without any configuration file logback logs everything at DEBUG to the console
      if (ConfigurationWatchListUtil.getMainWatchURL(context) == null) {
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root.getLevel() == null || root.getLevel().levelInt < Level.INFO.levelInt)
          root.setLevel(Level.INFO);
      }
    } catch (RuntimeException | LinkageError ignored) {
      // an unexpected logback version: leave the levels alone
    }
    for (String name : NOISY) {
      Logger logger = context.getLogger(name);
      if (logger.getLevel() == null) logger.setLevel(Level.WARN);
    }
    for (String name : ROUTINE_WARNINGS) {
      Logger logger = context.getLogger(name);
      if (logger.getLevel() == null) logger.setLevel(Level.ERROR);
    }
    for (String name : ELECTION_NOISE) {
      Logger logger = context.getLogger(name);
      if (logger.getLevel() == null) logger.setLevel(Level.OFF);
    }
  }
}
