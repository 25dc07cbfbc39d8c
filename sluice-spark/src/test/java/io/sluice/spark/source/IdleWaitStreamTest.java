package io.sluice.spark.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.apache.spark.sql.connector.read.InputPartition;
import org.apache.spark.sql.connector.read.PartitionReaderFactory;
import org.apache.spark.sql.connector.read.streaming.MicroBatchStream;
import org.apache.spark.sql.connector.read.streaming.Offset;
import org.apache.spark.sql.connector.read.streaming.ReadLimit;
import org.apache.spark.sql.connector.read.streaming.SupportsAdmissionControl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class IdleWaitStreamTest {
  private static final Duration WAIT = Duration.ofSeconds(5);
  private static final Offset AT_3 = new JsonOffset("{\"users\":{\"0\":3}}");
  private static final Offset AT_5 = new JsonOffset("{\"users\":{\"0\":5}}");

  private final FakeStream kafka = new FakeStream();
  private final List<String> waits = new ArrayList<>();
  private boolean closed;
  private final IdleWaitStream.Waiter waiter =
      new IdleWaitStream.Waiter() {
        @Override
        public void await(String offsetsJson, Duration max) {
          waits.add(offsetsJson + " " + max);
        }

        @Override
        public void close() {
          closed = true;
        }
      };
  private final IdleWaitStream stream = new IdleWaitStream(kafka, waiter, WAIT);

  @AfterEach
  void clearInterrupt() {
    Thread.interrupted();
  }

  @Test
  void newRecordsAreAnsweredAtOnce() {
    kafka.answers.add(AT_5);

    assertThat(stream.latestOffset(AT_3, ReadLimit.allAvailable())).isEqualTo(AT_5);
    assertThat(waits).isEmpty();
    assertThat(kafka.asked).isEqualTo(1);
  }

  @Test
  void noNewRecordsWaitsForOneThenAsksAgain() {
    kafka.answers.add(AT_3);
    kafka.answers.add(AT_5);

    assertThat(stream.latestOffset(AT_3, ReadLimit.allAvailable())).isEqualTo(AT_5);
    assertThat(waits).containsExactly("{\"users\":{\"0\":3}} PT5S");
    assertThat(kafka.asked).isEqualTo(2);
  }

  @Test
  void aQueryWithoutAnIdleWaitAnswersAtOnce() {
    kafka.answers.add(AT_3);
    IdleWaitStream interval = new IdleWaitStream(kafka, waiter, Duration.ZERO);

    assertThat(interval.latestOffset(AT_3, ReadLimit.allAvailable())).isEqualTo(AT_3);
    assertThat(waits).isEmpty();
    assertThat(kafka.asked).isEqualTo(1);
  }

  @Test
  void anAvailableNowQueryNeverWaits() {
    kafka.answers.add(AT_3);
    stream.prepareForTriggerAvailableNow();

    assertThat(stream.latestOffset(AT_3, ReadLimit.allAvailable())).isEqualTo(AT_3);
    assertThat(waits).isEmpty();
  }

  @Test
  void aStoppingQueryIsNotAskedAgain() {
    kafka.answers.add(AT_3);
    Thread.currentThread().interrupt();

    assertThat(stream.latestOffset(AT_3, ReadLimit.allAvailable())).isEqualTo(AT_3);
    assertThat(kafka.asked).isEqualTo(1);
    assertThat(Thread.currentThread().isInterrupted()).isTrue();
  }

  @Test
  void stopClosesTheWaiterAndTheStream() {
    stream.stop();

    assertThat(closed).isTrue();
    assertThat(kafka.stopped).isTrue();
  }

  @Test
  void aSourceOffsetNamesItsPartitions() {
    assertThat(CommittedRecordWaiter.offsets("{\"users\":{\"0\":3,\"1\":7},\"weather\":{\"0\":0}}"))
        .isEqualTo(
            Map.of(
                new TopicPartition("users", 0), 3L,
                new TopicPartition("users", 1), 7L,
                new TopicPartition("weather", 0), 0L));
    assertThat(CommittedRecordWaiter.offsets("not json")).isEmpty();
  }

  @Test
  void theWaiterTakesTheSourcesKafkaSettings() {
    assertThat(
            IdleWaitKafkaProvider.consumerSettings(
                Map.of(
                    "kafka.bootstrap.servers", "127.0.0.1:9092",
                    "Kafka.security.protocol", "SSL",
                    "subscribe", "users")))
        .isEqualTo(Map.of("bootstrap.servers", "127.0.0.1:9092", "security.protocol", "SSL"));
  }

  private static final class JsonOffset extends Offset {
    private final String json;

    JsonOffset(String json) {
      this.json = json;
    }

    @Override
    public String json() {
      return json;
    }
  }

  /** Kafka's end offsets, one answer per question. */
  private static final class FakeStream implements MicroBatchStream, SupportsAdmissionControl {
    final Deque<Offset> answers = new ArrayDeque<>();
    int asked;
    boolean stopped;

    @Override
    public Offset latestOffset(Offset start, ReadLimit limit) {
      asked++;
      return answers.remove();
    }

    @Override
    public Offset latestOffset() {
      throw new UnsupportedOperationException();
    }

    @Override
    public InputPartition[] planInputPartitions(Offset start, Offset end) {
      return new InputPartition[0];
    }

    @Override
    public PartitionReaderFactory createReaderFactory() {
      throw new UnsupportedOperationException();
    }

    @Override
    public Offset initialOffset() {
      return AT_3;
    }

    @Override
    public Offset deserializeOffset(String json) {
      return new JsonOffset(json);
    }

    @Override
    public void commit(Offset end) {}

    @Override
    public void stop() {
      stopped = true;
    }
  }
}
