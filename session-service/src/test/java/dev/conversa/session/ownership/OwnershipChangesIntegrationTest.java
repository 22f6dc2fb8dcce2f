package dev.conversa.session.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.conversa.events.Topics;
import dev.conversa.testsupport.TestKafka;
import reactor.core.publisher.Mono;

/**
 * How {@link CommandPartitionOwnership} turns rebalance callbacks into listener calls: serialized, in order, off
 * the consumer thread, with revocations waited for but bounded. The callbacks are invoked directly here, with a real
 * consumer of the embedded broker for the partition count; real group rebalances are in
 * {@link CommandPartitionOwnershipIntegrationTest}.
 */
class OwnershipChangesIntegrationTest {

    private static final String BINDING = "handleCommand-in-0";

    private static KafkaConsumer<String, String> consumer;

    private final List<String> calls = new CopyOnWriteArrayList<>();
    private final List<String> threads = new CopyOnWriteArrayList<>();
    private CommandPartitionOwnership ownership;

    @BeforeAll
    static void consumer() {
        consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class));
    }

    @AfterAll
    static void closeConsumer() {
        consumer.close();
    }

    @AfterEach
    void destroy() {
        if (ownership != null) {
            ownership.destroy();
        }
    }

    private CommandPartitionOwnership ownership(Duration revocationTimeout, OwnershipListener listener) {
        ownership = new CommandPartitionOwnership(
                new OwnershipProperties("test", null, null, revocationTimeout, null, BINDING), () -> listener);
        return ownership;
    }

    private static List<TopicPartition> commands(int... partitions) {
        return java.util.Arrays.stream(partitions).mapToObj(p -> new TopicPartition(Topics.WA_COMMANDS, p)).toList();
    }

    /** A runtime whose every step takes a while and records when it starts and ends, and on which thread. */
    private final class SlowRuntime implements OwnershipListener {

        @Override
        public Mono<Void> assigned(Set<Integer> partitions, int partitionCount) {
            return step("assigned " + new TreeSet<>(partitions) + "/" + partitionCount);
        }

        @Override
        public Mono<Void> revoked(Set<Integer> partitions) {
            return step("revoked " + new TreeSet<>(partitions));
        }

        private Mono<Void> step(String name) {
            return Mono.fromRunnable(() -> {
                        calls.add("start " + name);
                        threads.add(Thread.currentThread().getName());
                    })
                    .then(Mono.delay(Duration.ofMillis(150)))
                    .then(Mono.fromRunnable(() -> calls.add("end " + name)));
        }
    }

    @Test
    void changesReachTheListenerOneAtATimeInKafkasOrderWithoutHoldingTheConsumerThread() {
        CommandPartitionOwnership ownership = ownership(Duration.ofSeconds(10), new SlowRuntime());

        ownership.onPartitionsAssigned(BINDING, consumer, commands(0, 1), true);
        ownership.onPartitionsAssigned(BINDING, consumer, commands(2), false);
        // owned at once, before the runtime finished restoring
        assertThat(ownership.owned()).containsExactlyInAnyOrder(0, 1, 2);
        assertThat(calls).noneMatch(call -> call.startsWith("end"));

        ownership.onPartitionsRevokedBeforeCommit(BINDING, consumer, commands(1));

        // the revocation waited for the restores queued before it and for its own closing
        assertThat(calls).containsExactly(
                "start assigned [0, 1]/12",
                "end assigned [0, 1]/12",
                "start assigned [2]/12",
                "end assigned [2]/12",
                "start revoked [1]",
                "end revoked [1]");
        assertThat(threads).allMatch(thread -> thread.startsWith("session-ownership"));
        assertThat(ownership.owned()).containsExactlyInAnyOrder(0, 2);
        assertThat(ownership.partitionCount()).isEqualTo(TestKafka.PARTITIONS);
    }

    @Test
    void revocationWaitsNoLongerThanTheRevocationTimeout() {
        List<Set<Integer>> revoked = new CopyOnWriteArrayList<>();
        CommandPartitionOwnership ownership = ownership(Duration.ofMillis(300), new OwnershipListener() {
            @Override
            public Mono<Void> assigned(Set<Integer> partitions, int partitionCount) {
                return Mono.empty();
            }

            @Override
            public Mono<Void> revoked(Set<Integer> partitions) {
                revoked.add(partitions);
                return Mono.never();
            }
        });
        ownership.onPartitionsAssigned(BINDING, consumer, commands(4, 5), true);

        long started = System.nanoTime();
        ownership.onPartitionsRevokedBeforeCommit(BINDING, consumer, commands(4, 5));
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        assertThat(revoked).containsExactly(Set.of(4, 5));
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(300)).isLessThan(Duration.ofSeconds(5));
        assertThat(ownership.owned()).isEmpty();
    }

    @Test
    void ownsFollowsThePartitionOfTheSession() {
        CommandPartitionOwnership ownership = ownership(Duration.ofSeconds(5), null);
        UUID session = UUID.randomUUID();
        int partition = CommandPartitions.partitionOf(session, TestKafka.PARTITIONS);
        assertThat(ownership.owns(session)).isFalse();

        ownership.onPartitionsAssigned(BINDING, consumer, commands(partition), true);
        assertThat(ownership.owns(session)).isTrue();

        ownership.onPartitionsLost(BINDING, consumer, commands(partition));
        assertThat(ownership.owns(session)).isFalse();
    }

    @Test
    void callbacksOfOtherBindingsAndTopicsAreIgnored() {
        CommandPartitionOwnership ownership = ownership(Duration.ofSeconds(5), new SlowRuntime());

        ownership.onPartitionsAssigned("recordSessionEvent-in-0", consumer, commands(0, 1), true);
        ownership.onPartitionsAssigned(BINDING, consumer, List.of(new TopicPartition(Topics.dlq(Topics.WA_COMMANDS), 3)),
                true);
        ownership.onPartitionsAssigned(BINDING, consumer, List.of(), false);

        assertThat(ownership.owned()).isEmpty();
        assertThat(ownership.partitionCount()).isZero();
        assertThat(calls).isEmpty();
    }

    @Test
    void revokingPartitionsNotOwnedCallsNobody() {
        CommandPartitionOwnership ownership = ownership(Duration.ofSeconds(5), new SlowRuntime());
        ownership.onPartitionsAssigned(BINDING, consumer, commands(7), true);
        Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> calls.contains("end assigned [7]/12"));

        ownership.onPartitionsRevokedBeforeCommit(BINDING, consumer, commands(8));
        ownership.onPartitionsRevokedBeforeCommit("other-in-0", consumer, commands(7));

        assertThat(calls).hasSize(2);
        assertThat(ownership.owned()).containsExactly(7);
    }

    @Test
    void withoutAListenerChangesAreOnlyTracked() {
        CommandPartitionOwnership ownership = ownership(Duration.ofSeconds(5), null);

        ownership.onPartitionsAssigned(BINDING, consumer, commands(0, 1, 2), true);
        ownership.onPartitionsRevokedBeforeCommit(BINDING, consumer, commands(1));

        assertThat(ownership.owned()).containsExactlyInAnyOrder(0, 2);
    }
}
