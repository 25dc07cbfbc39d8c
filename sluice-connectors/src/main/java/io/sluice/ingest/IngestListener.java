package io.sluice.ingest;

/**
 * Told of an ingest's progress after each commit (of one page or of several); called on the
 * ingest's thread.
 */
@FunctionalInterface
public interface IngestListener {
  IngestListener NONE = (fetched, published, dlq, target) -> {};

  /**
   * @param target items the run aims at, or -1 when unknown
   */
  void onPage(long fetched, long published, long dlq, long target);
}
