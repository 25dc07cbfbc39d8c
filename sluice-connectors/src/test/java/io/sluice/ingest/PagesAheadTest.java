package io.sluice.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class PagesAheadTest {
  /**
   * Prepares each page as it is scheduled, so every page in flight is prepared when one is taken.
   */
  private static final class AtOnce extends AbstractExecutorService {
    private boolean shutdown;

    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      shutdown = true;
    }

    @Override
    public List<Runnable> shutdownNow() {
      shutdown = true;
      return List.of();
    }

    @Override
    public boolean isShutdown() {
      return shutdown;
    }

    @Override
    public boolean isTerminated() {
      return shutdown;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return true;
    }
  }

  /** A page whose records are keyed by item number, from {@code next} to its end. */
  private static LongFunction<PreparedPage> pages(long count, int batch) {
    return next -> {
      int take = (int) Math.min(batch - next % batch, count - next);
      var records = new ArrayList<ProducerRecord<byte[], byte[]>>();
      for (long i = next; i < next + take; i++)
        records.add(
            new ProducerRecord<>("t", Long.toString(i).getBytes(StandardCharsets.UTF_8), null));
      return new PreparedPage(records, take, take, 0);
    };
  }

  private static List<PreparedPage> all(PagesAhead ahead) {
    var out = new ArrayList<PreparedPage>();
    while (ahead.hasNext()) out.add(ahead.next());
    return out;
  }

  private static List<Long> items(List<PreparedPage> pages) {
    var out = new ArrayList<Long>();
    for (PreparedPage p : pages)
      for (var r : p.records())
        out.add(Long.parseLong(new String(r.key(), StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void handsOutEveryItemOnceAndInOrderFromWhereItStarts() {
    List<PreparedPage> pages;
    try (var ahead = new PagesAhead("t", 3, 3, pages(1003, 100), 250, 1003, 100, Long.MAX_VALUE)) {
      pages = all(ahead);
    }
    assertThat(items(pages)).hasSize(753).isSorted().doesNotHaveDuplicates().startsWith(250L);
    assertThat(pages.stream().mapToLong(PreparedPage::take).sum()).isEqualTo(753);
  }

  @Test
  void pagesAlreadyPreparedComeWithTheNextOneAsOneUpToThePagesInFlight() {
    List<PreparedPage> pages;
    try (var ahead =
        new PagesAhead(new AtOnce(), 3, pages(1000, 100), 0, 1000, 100, Long.MAX_VALUE)) {
      pages = all(ahead);
    }
    assertThat(pages).extracting(PreparedPage::take).containsExactly(300, 300, 300, 100);
    assertThat(items(pages)).hasSize(1000).isSorted().doesNotHaveDuplicates();
  }

  @Test
  void theThreadsKeepPreparingPagesBeyondTheirNumberWhileTheFirstIsOutstanding() throws Exception {
    var firstMayFinish = new CountDownLatch(1);
    var othersPrepared = new CountDownLatch(3);
    LongFunction<PreparedPage> good = pages(1000, 100);
    try (var ahead =
        new PagesAhead(
            "t",
            2,
            4,
            n -> {
              if (n == 0) await(firstMayFinish);
              PreparedPage page = good.apply(n);
              if (n > 0) othersPrepared.countDown();
              return page;
            },
            0,
            1000,
            100,
            Long.MAX_VALUE)) {
      // why: pages 2 to 4 are all prepared on the one free thread while page 1 is held
      othersPrepared.await();
      firstMayFinish.countDown();
      var pages = all(ahead);
      assertThat(items(pages)).hasSize(1000).isSorted().doesNotHaveDuplicates();
      assertThat(pages).allSatisfy(p -> assertThat(p.take()).isBetween(100, 400));
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void thePagesBeforeAFailedOneAreHandedOutFirstThenItsFailure() {
    LongFunction<PreparedPage> good = pages(500, 100);
    try (var ahead =
        new PagesAhead(
            new AtOnce(),
            3,
            n -> {
              if (n == 200) throw new IllegalStateException("page 3 is broken");
              return good.apply(n);
            },
            0,
            500,
            100,
            Long.MAX_VALUE)) {
      assertThat(items(List.of(ahead.next()))).hasSize(200).isSorted();
      assertThatThrownBy(ahead::next).hasMessage("page 3 is broken");
    }
  }

  @Test
  void stopsAfterTheGivenNumberOfPages() {
    List<PreparedPage> pages;
    try (var ahead = new PagesAhead("t", 3, 3, pages(1000, 150), 0, 1000, 150, 3)) {
      pages = all(ahead);
    }
    assertThat(items(pages)).hasSize(450).isSorted();
  }
}
