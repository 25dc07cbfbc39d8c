package io.sluice.ingest;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * The pages of an ingest, fetched and prepared on their own threads ahead of the one being
 * published, and handed out strictly in order, so that progress always marks a gap-free prefix.
 * Pages that are already prepared when the next one is taken come with it, for one transaction:
 * when committing is slower than preparing, transactions grow instead of the pages waiting. The
 * window of pages prepared or being prepared may be larger than the number of threads, so that the
 * threads keep preparing while the pages before are published.
 */
final class PagesAhead implements AutoCloseable {
  private final ExecutorService threads;
  private final LongFunction<PreparedPage> preparer;
  private final int window;
  private final long count;
  private final int batch;
  private final long stopAfterPages;
  private final Deque<Future<PreparedPage>> inFlight = new ArrayDeque<>();
  private long scheduled;
  private long pagesScheduled;

  /**
   * @param threadName the name of the threads preparing pages
   * @param threadCount pages prepared at once, each on its own thread
   * @param window pages prepared or being prepared ahead of the one published, at least {@code
   *     threadCount}; also the most pages handed out as one
   * @param preparer the page holding item {@code next}, from {@code next} to the page's end
   * @param next the first item to ingest
   * @param count items to ingest in all
   * @param batch items per page
   * @param stopAfterPages pages to schedule at most
   */
  PagesAhead(
      String threadName,
      int threadCount,
      int window,
      LongFunction<PreparedPage> preparer,
      long next,
      long count,
      int batch,
      long stopAfterPages) {
    this(
        Executors.newFixedThreadPool(
            threadCount,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            }),
        Math.max(threadCount, window),
        preparer,
        next,
        count,
        batch,
        stopAfterPages);
  }

  /** Prepares the pages on {@code threads}, which {@link #close} shuts down. */
  PagesAhead(
      ExecutorService threads,
      int window,
      LongFunction<PreparedPage> preparer,
      long next,
      long count,
      int batch,
      long stopAfterPages) {
    this.threads = threads;
    this.preparer = preparer;
    this.window = window;
    this.count = count;
    this.batch = batch;
    this.stopAfterPages = stopAfterPages;
    this.scheduled = next;
    fill();
  }

  boolean hasNext() {
    return !inFlight.isEmpty();
  }

  /**
   * The next page once it is prepared, with the pages after it that are prepared too (at most
   * {@code window} in all), as one.
   *
   * @throws RuntimeException what preparing the next page threw
   */
  PreparedPage next() {
    List<PreparedPage> group = new ArrayList<>(window);
    group.add(await(inFlight.poll()));
    // why: while these pages are sent and committed, the next ones are being prepared
    fill();
    while (group.size() < window && !inFlight.isEmpty() && inFlight.peek().isDone()) {
      PreparedPage done = prepared(inFlight.peek());
      // why: a page that failed is left in place; the pages before it are published first
      if (done == null) break;
      inFlight.poll();
      group.add(done);
      fill();
    }
    return PreparedPage.of(group);
  }

  private void fill() {
    while (inFlight.size() < window && scheduled < count && pagesScheduled < stopAfterPages) {
      long first = scheduled;
      inFlight.add(threads.submit(() -> preparer.apply(first)));
      scheduled = Math.min(count, (scheduled / batch + 1) * batch);
      pagesScheduled++;
    }
  }

  /** The page of a finished task, or null when it failed. */
  private static PreparedPage prepared(Future<PreparedPage> done) {
    try {
      return done.get();
    } catch (ExecutionException | CancellationException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static PreparedPage await(Future<PreparedPage> pending) {
    try {
      return pending.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while fetching", e);
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
