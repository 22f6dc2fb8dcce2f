package dev.conversa.session.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.conversa.events.Topics;
import dev.conversa.testsupport.TestKafka;
import reactor.core.publisher.Mono;

/**
 * Partition ownership through real consumer-group rebalances on the embedded broker: two plain consumers with the
 * cooperative-sticky assignor stand in for two session-service instances; their rebalance callbacks go to two
 * {@link CommandPartitionOwnership}s the way the binder's listener adapter calls them.
 */
class CommandPartitionOwnershipIntegrationTest {

    private static final String BINDING = "handleCommand-in-0";
    private static final Set<Integer> ALL = IntStream.range(0, TestKafka.PARTITIONS).boxed().collect(Collectors.toSet());
    private static final Duration REBALANCE = Duration.ofSeconds(60);
    /** How long the recording runtime takes to close sessions: the rebalance must wait for it. */
    private static final Duration CLOSING = Duration.ofMillis(300);

    private final AtomicLong clock = new AtomicLong();
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final List<Member> members = new CopyOnWriteArrayList<>();
    private final String group = "ownership-test-" + UUID.randomUUID();

    enum Kind {
        /** the rebalance callback on the consumer thread was entered with these partitions */
        ASSIGN_CALLBACK,
        /** the runtime's assigned(..) ran */
        ASSIGNED,
        /** the runtime's revoked(..) started / finished closing */
        REVOKE_STARTED, REVOKE_FINISHED,
        /** the revocation callback returned to the consumer */
        REVOKE_CALLBACK_RETURNED
    }

    record Event(long at, String member, Kind kind, Set<Integer> partitions) {
    }

    @AfterEach
    void closeMembers() {
        members.forEach(Member::close);
    }

    @Test
    void secondInstanceTakesHalfThePartitionsOnlyAfterTheFirstClosedTheirSessions() {
        Member a = join("a");
        Awaitility.await("a owns every partition").atMost(REBALANCE)
                .until(() -> a.ownership.owned().equals(ALL) && a.runtimeView().equals(ALL));
        assertThat(a.ownership.partitionCount()).isEqualTo(TestKafka.PARTITIONS);

        Member b = join("b");
        awaitSplit(a, b);

        Set<Integer> moved = b.ownership.owned();
        assertThat(moved).hasSize(TestKafka.PARTITIONS / 2);
        assertThat(a.ownership.owned()).hasSize(TestKafka.PARTITIONS / 2);
        // cooperative-sticky: a only gave up what b got, it was not reassigned anything
        assertThat(events(a, Kind.ASSIGN_CALLBACK).stream().flatMap(e -> e.partitions().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(ALL);
        assertThat(revokedPartitions(a)).isEqualTo(moved);
        assertRevokedAndClosedBeforeAssigned(a, b, moved);

        for (int i = 0; i < 200; i++) {
            UUID session = UUID.randomUUID();
            int partition = CommandPartitions.partitionOf(session, TestKafka.PARTITIONS);
            assertThat(a.ownership.owns(session)).isNotEqualTo(b.ownership.owns(session));
            assertThat(a.ownership.owns(session)).isEqualTo(a.ownership.owned().contains(partition));
            assertThat(b.ownership.owns(session)).isEqualTo(b.ownership.owned().contains(partition));
        }
    }

    @Test
    void closingAnInstanceHandsAllItsPartitionsBackToTheOther() {
        Member a = join("a");
        Awaitility.await("a owns every partition").atMost(REBALANCE).until(() -> a.ownership.owned().equals(ALL));
        Member b = join("b");
        awaitSplit(a, b);
        Set<Integer> ofB = b.ownership.owned();

        b.close();

        Awaitility.await("a owns every partition again").atMost(REBALANCE)
                .until(() -> a.ownership.owned().equals(ALL) && a.runtimeView().equals(ALL));
        assertThat(b.ownership.owned()).isEmpty();
        assertThat(b.runtimeView()).isEmpty();
        assertThat(revokedPartitions(b)).isEqualTo(ofB);
        assertRevokedAndClosedBeforeAssigned(b, a, ofB);
        for (int i = 0; i < 50; i++) {
            UUID session = UUID.randomUUID();
            assertThat(a.ownership.owns(session)).isTrue();
            assertThat(b.ownership.owns(session)).isFalse();
        }
    }

    private void awaitSplit(Member a, Member b) {
        Awaitility.await("a and b split the partitions").atMost(REBALANCE).until(() -> {
            Set<Integer> ofA = a.ownership.owned();
            Set<Integer> ofB = b.ownership.owned();
            Set<Integer> union = new HashSet<>(ofA);
            union.addAll(ofB);
            return !ofA.isEmpty() && !ofB.isEmpty() && ofA.size() + ofB.size() == TestKafka.PARTITIONS
                    && union.equals(ALL)
                    && a.runtimeView().equals(ofA) && b.runtimeView().equals(ofB);
        });
    }

    /**
     * For every partition that moved from {@code from} to {@code to}: {@code from}'s runtime finished closing it
     * before the revocation callback returned (the callback waited), and before {@code to} was assigned it.
     */
    private void assertRevokedAndClosedBeforeAssigned(Member from, Member to, Set<Integer> moved) {
        for (int partition : moved) {
            Event started = last(from, Kind.REVOKE_STARTED, partition);
            Event finished = last(from, Kind.REVOKE_FINISHED, partition);
            Event returned = last(from, Kind.REVOKE_CALLBACK_RETURNED, partition);
            Event assigned = last(to, Kind.ASSIGN_CALLBACK, partition);
            assertThat(started.at()).as("closing of %s started", partition).isLessThan(finished.at());
            assertThat(finished.at()).as("the callback waited for the closing of %s", partition)
                    .isLessThan(returned.at());
            assertThat(finished.at()).as("%s closed before %s got it", partition, to.name)
                    .isLessThan(assigned.at());
        }
    }

    private Set<Integer> revokedPartitions(Member member) {
        return events(member, Kind.REVOKE_FINISHED).stream().flatMap(e -> e.partitions().stream())
                .collect(Collectors.toSet());
    }

    private List<Event> events(Member member, Kind kind) {
        return events.stream().filter(e -> e.member().equals(member.name) && e.kind() == kind).toList();
    }

    private Event last(Member member, Kind kind, int partition) {
        return events(member, kind).stream().filter(e -> e.partitions().contains(partition))
                .reduce((first, second) -> second)
                .orElseThrow(() -> new AssertionError(member.name + " has no " + kind + " of " + partition
                        + "; events: " + events));
    }

    private void record(String member, Kind kind, Collection<Integer> partitions) {
        events.add(new Event(clock.incrementAndGet(), member, kind, Set.copyOf(partitions)));
    }

    private Member join(String name) {
        Member member = new Member(name);
        members.add(member);
        return member;
    }

    /** The runtime of one instance: records what it is told, and takes {@link #CLOSING} to close sessions. */
    private final class RecordingRuntime implements OwnershipListener {

        private final String member;
        private final Set<Integer> view = java.util.concurrent.ConcurrentHashMap.newKeySet();

        RecordingRuntime(String member) {
            this.member = member;
        }

        @Override
        public Mono<Void> assigned(Set<Integer> partitions, int partitionCount) {
            return Mono.fromRunnable(() -> {
                assertThat(partitionCount).isEqualTo(TestKafka.PARTITIONS);
                view.addAll(partitions);
                record(member, Kind.ASSIGNED, partitions);
            });
        }

        @Override
        public Mono<Void> revoked(Set<Integer> partitions) {
            return Mono.fromRunnable(() -> record(member, Kind.REVOKE_STARTED, partitions))
                    .then(Mono.delay(CLOSING))
                    .then(Mono.fromRunnable(() -> {
                        view.removeAll(partitions);
                        record(member, Kind.REVOKE_FINISHED, partitions);
                    }));
        }
    }

    /** One "instance": a consumer polled on a thread of its own, its ownership tracker and its runtime. */
    private final class Member {

        final String name;
        final RecordingRuntime runtime;
        final CommandPartitionOwnership ownership;
        private final Thread poller;
        private volatile boolean running = true;

        Member(String name) {
            this.name = name;
            this.runtime = new RecordingRuntime(name);
            this.ownership = new CommandPartitionOwnership(
                    new OwnershipProperties(name, null, null, Duration.ofSeconds(10), null, BINDING),
                    () -> runtime);
            this.poller = new Thread(this::poll, "ownership-test-" + name);
            this.poller.start();
        }

        Set<Integer> runtimeView() {
            return Set.copyOf(runtime.view);
        }

        private void poll() {
            Map<String, Object> config = Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.CLIENT_ID_CONFIG, group + "-" + name,
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                    ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName(),
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest",
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config)) {
                consumer.subscribe(List.of(Topics.WA_COMMANDS), new BinderLikeAdapter(consumer));
                while (running) {
                    consumer.poll(Duration.ofMillis(100));
                }
            } // close() revokes what this member still owns, on this thread
        }

        void close() {
            running = false;
            try {
                poller.join(Duration.ofSeconds(30));
            }
            catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            ownership.destroy();
        }

        /** Calls the ownership the way the Kafka binder's rebalance listener adapter does. */
        private final class BinderLikeAdapter implements ConsumerRebalanceListener {

            private final KafkaConsumer<String, String> consumer;
            private boolean initial = true;

            BinderLikeAdapter(KafkaConsumer<String, String> consumer) {
                this.consumer = consumer;
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                record(name, Kind.ASSIGN_CALLBACK, numbers(partitions));
                ownership.onPartitionsAssigned(BINDING, consumer, partitions, initial);
                initial = false;
            }

            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                ownership.onPartitionsRevokedBeforeCommit(BINDING, consumer, partitions);
                ownership.onPartitionsRevokedAfterCommit(BINDING, consumer, partitions);
                record(name, Kind.REVOKE_CALLBACK_RETURNED, numbers(partitions));
            }

            @Override
            public void onPartitionsLost(Collection<TopicPartition> partitions) {
                ownership.onPartitionsLost(BINDING, consumer, partitions);
                record(name, Kind.REVOKE_CALLBACK_RETURNED, numbers(partitions));
            }

            private static Set<Integer> numbers(Collection<TopicPartition> partitions) {
                return partitions.stream().map(TopicPartition::partition).collect(Collectors.toSet());
            }
        }
    }
}
