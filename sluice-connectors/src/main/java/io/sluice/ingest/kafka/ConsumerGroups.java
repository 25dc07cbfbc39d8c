package io.sluice.ingest.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListConsumerGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Kafka consumer groups as {@code kafka-consumer-groups.sh} shows and moves them: the groups, their
 * committed offsets and lag, and offset resets, which Kafka allows only while no consumer is in the
 * group. Each call blocks on the broker for at most the timeout given to the constructor.
 *
 * <pre>{@code
 * try (Admin admin = TopicProvisioner.admin(config)) {
 *   var groups = new ConsumerGroups(admin, Duration.ofSeconds(30));
 *   groups.reset("etl", List.of("users_created"), new ConsumerGroups.ToEarliest(), true);
 * }
 * }</pre>
 */
public final class ConsumerGroups {
  /** A group as listed: its id and state ({@code Stable}, {@code Empty}, ...). */
  public record Group(String groupId, String state) {}

  /** One partition of a group: committed offset, end offset and lag; consumer when assigned. */
  public record PartitionLag(
      TopicPartition partition, Long committed, long end, Long lag, String consumerId) {}

  /** A group in detail: its state, members and the partitions it has offsets or members on. */
  public record Description(String groupId, String state, int members, List<PartitionLag> lags) {}

  /** A reset refused because the group still has consumers. */
  public static final class ActiveGroupException extends IllegalStateException {
    public ActiveGroupException(String message) {
      super(message);
    }
  }

  /** Where a reset moves a group's offsets. */
  public sealed interface Target permits ToEarliest, ToLatest, ToDatetime, ShiftBy {}

  /** To each partition's oldest offset. */
  public record ToEarliest() implements Target {}

  /** To each partition's end. */
  public record ToLatest() implements Target {}

  /** To the first offset whose timestamp is at or after {@code time} (the end when none is). */
  public record ToDatetime(Instant time) implements Target {}

  /** By {@code delta} from the committed offset, kept within the partition's offsets. */
  public record ShiftBy(long delta) implements Target {}

  private final Admin admin;
  private final Duration timeout;

  public ConsumerGroups(Admin admin, Duration timeout) {
    this.admin = admin;
    this.timeout = timeout;
  }

  /** Every consumer group of the cluster, sorted by id. */
  public List<Group> list() {
    var listings = await(admin.listConsumerGroups(new ListConsumerGroupsOptions()).all());
    return listings.stream()
        .map(l -> new Group(l.groupId(), l.groupState().map(GroupState::toString).orElse("")))
        .sorted(Comparator.comparing(Group::groupId))
        .toList();
  }

  /** The group's state, members and, per partition, committed offset, end offset and lag. */
  public Description describe(String groupId) {
    ConsumerGroupDescription d = group(groupId);
    Map<TopicPartition, String> owners = new HashMap<>();
    d.members()
        .forEach(
            m -> m.assignment().topicPartitions().forEach(tp -> owners.put(tp, m.consumerId())));
    Map<TopicPartition, OffsetAndMetadata> committed = committed(groupId);
    Map<TopicPartition, Long> partitions = new TreeMap<>(BY_TOPIC_PARTITION);
    committed.forEach((tp, o) -> partitions.put(tp, o == null ? null : o.offset()));
    owners.keySet().forEach(tp -> partitions.putIfAbsent(tp, null));
    Map<TopicPartition, Long> ends = offsets(partitions.keySet(), OffsetSpec.latest());
    List<PartitionLag> lags = new ArrayList<>();
    partitions.forEach(
        (tp, c) -> {
          long end = ends.get(tp);
          lags.add(new PartitionLag(tp, c, end, c == null ? null : end - c, owners.get(tp)));
        });
    return new Description(groupId, d.groupState().toString(), d.members().size(), lags);
  }

  /**
   * Moves the group's offsets on {@code topics} (all topics it has offsets on, when empty) and
   * returns the new offset of each partition. Refused while the group has members: Kafka would
   * reject the commit, and a running consumer would overwrite it. With {@code execute} false,
   * nothing is changed (Kafka's dry run).
   */
  public Map<TopicPartition, Long> reset(
      String groupId, Collection<String> topics, Target target, boolean execute) {
    ConsumerGroupDescription d = group(groupId);
    if (!d.members().isEmpty())
      throw new ActiveGroupException(
          "consumer group '"
              + groupId
              + "' is active (state "
              + d.groupState()
              + ", "
              + d.members().size()
              + " member(s)); stop its consumers before resetting its offsets");
    Map<TopicPartition, OffsetAndMetadata> committed = committed(groupId);
    Set<TopicPartition> parts = partitions(topics, committed.keySet());
    Map<TopicPartition, Long> earliest = offsets(parts, OffsetSpec.earliest());
    Map<TopicPartition, Long> latest = offsets(parts, OffsetSpec.latest());
    Map<TopicPartition, Long> plan = new TreeMap<>(BY_TOPIC_PARTITION);
    Map<TopicPartition, Long> byTime =
        target instanceof ToDatetime t
            ? offsets(parts, OffsetSpec.forTimestamp(t.time().toEpochMilli()))
            : Map.of();
    for (TopicPartition tp : parts) {
      long lo = earliest.get(tp);
      long hi = latest.get(tp);
      OffsetAndMetadata c = committed.get(tp);
      long to;
      if (target instanceof ToEarliest) to = lo;
      else if (target instanceof ToLatest) to = hi;
      else if (target instanceof ShiftBy s)
        to = Math.max(lo, Math.min(hi, (c == null ? lo : c.offset()) + s.delta()));
      else to = byTime.get(tp) < 0 ? hi : byTime.get(tp);
      plan.put(tp, to);
    }
    if (execute) {
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      plan.forEach((tp, o) -> commit.put(tp, new OffsetAndMetadata(o)));
      await(admin.alterConsumerGroupOffsets(groupId, commit).all());
    }
    return plan;
  }

  private ConsumerGroupDescription group(String groupId) {
    ConsumerGroupDescription d =
        await(admin.describeConsumerGroups(List.of(groupId)).all()).get(groupId);
    if (d.groupState() == GroupState.DEAD && committed(groupId).isEmpty())
      throw new IllegalArgumentException("no consumer group '" + groupId + "'");
    return d;
  }

  private Map<TopicPartition, OffsetAndMetadata> committed(String groupId) {
    Map<TopicPartition, OffsetAndMetadata> all =
        await(admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata());
    Map<TopicPartition, OffsetAndMetadata> present = new HashMap<>();
    all.forEach((tp, o) -> present.put(tp, o));
    return present;
  }

  private Set<TopicPartition> partitions(Collection<String> topics, Set<TopicPartition> committed) {
    if (topics.isEmpty()) {
      if (committed.isEmpty())
        throw new IllegalArgumentException("the group has no offsets; name the topics to reset");
      return committed;
    }
    Set<String> existing = await(admin.listTopics().names());
    for (String t : topics)
      if (!existing.contains(t)) throw new IllegalArgumentException("no topic " + t);
    var described = await(admin.describeTopics(topics).allTopicNames());
    Set<TopicPartition> parts = new java.util.HashSet<>();
    described.forEach(
        (name, d) ->
            d.partitions().forEach(p -> parts.add(new TopicPartition(name, p.partition()))));
    return parts;
  }

  private Map<TopicPartition, Long> offsets(Set<TopicPartition> parts, OffsetSpec spec) {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    parts.forEach(tp -> request.put(tp, spec));
    Map<TopicPartition, Long> out = new HashMap<>();
    if (request.isEmpty()) return out;
    await(admin.listOffsets(request).all()).forEach((tp, info) -> out.put(tp, info.offset()));
    return out;
  }

  private static final Comparator<TopicPartition> BY_TOPIC_PARTITION =
      Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);

  private <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Kafka did not answer within " + timeout.toSeconds() + " s");
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }
}
