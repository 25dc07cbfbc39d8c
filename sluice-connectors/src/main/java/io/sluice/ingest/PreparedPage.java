package io.sluice.ingest;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Users ready to publish in one transaction: their records (data, dead letters, progress) in order,
 * and their counts.
 *
 * @param records what the transaction sends, the progress record of each page after its users
 * @param take users of the source the records cover
 * @param published records to the users topic
 * @param dlq records to the dead-letter topic
 */
record PreparedPage(
    List<ProducerRecord<byte[], byte[]>> records, int take, long published, long dlq) {

  /** Consecutive pages as one: their records in order, the last page's progress last. */
  static PreparedPage of(List<PreparedPage> pages) {
    if (pages.size() == 1) return pages.get(0);
    int size = 0;
    for (PreparedPage p : pages) size += p.records().size();
    var records = new ArrayList<ProducerRecord<byte[], byte[]>>(size);
    int take = 0;
    long published = 0;
    long dlq = 0;
    for (PreparedPage p : pages) {
      records.addAll(p.records());
      take += p.take();
      published += p.published();
      dlq += p.dlq();
    }
    return new PreparedPage(records, take, published, dlq);
  }
}
