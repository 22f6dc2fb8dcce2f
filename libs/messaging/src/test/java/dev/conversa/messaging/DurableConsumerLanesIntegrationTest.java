package dev.conversa.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.testsupport.TestKafka;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Pipelined batches in two lanes on a real KRaft broker (4 partitions: lane 0 takes partitions 0 and 2, lane 1
 * partitions 1 and 3): a lane whose store is held up does not hold up the other one, each partition's records are
 * stored and announced in their order, and every offset is committed once its records were announced.
 */
@SpringBootTest(classes = DurableConsumerLanesIntegrationTest.LanesProbeApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spring.cloud.function.definition=handleLaneProbes",
            "spring.cloud.stream.bindings.handleLaneProbes-in-0.destination=" + DurableConsumerLanesIntegrationTest.TOPIC,
            "spring.cloud.stream.bindings.handleLaneProbes-in-0.group=" + DurableConsumerLanesIntegrationTest.GROUP,
            "spring.cloud.stream.kafka.default.consumer.ack-mode=manual",
            "spring.cloud.stream.kafka.default.producer.sync=true"
        })
class DurableConsumerLanesIntegrationTest {

    static final String TOPIC = "probe.lanes";
    static final String GROUP = "probe-lanes-consumer";
    static final int PARTITIONS = 4;
    static final int LANES = 2;
    static final String PROBE_TYPE = "conversa.test.probe.v1";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static Admin admin;
    private static KafkaProducer<byte[], byte[]> producer;

    @Autowired
    EventPublisher publisher;

    @Autowired
    LaneStore store;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", TestKafka::bootstrapServers);
    }

    @BeforeAll
    static void createTopic() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get();
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class));
    }

    @AfterAll
    static void close() {
        producer.close();
        admin.close();
    }

    @Test
    void aHeldLaneDoesNotHoldTheOtherAndEachPartitionKeepsItsOrder() throws Exception {
        // lane 0 (partition 0) is held in its store; lane 1 (partitions 1 and 3) goes on meanwhile
        String held = send(0, "hold-store");
        await().atMost(TIMEOUT).until(() -> store.storing.contains(held));
        List<String> lane1 = new ArrayList<>();
        List<String> lane0 = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            lane1.add(send(1 + 2 * (i % 2), "ok"));
            lane0.add(send(2 * (i % 2), "ok"));
        }

        await().atMost(TIMEOUT).until(() -> store.announced.containsAll(lane1));
        assertThat(store.stored).doesNotContainAnyElementsOf(lane0).doesNotContain(held);
        assertThat(committed(0)).isZero();

        store.release(held);
        await().atMost(TIMEOUT).until(() -> store.announced.containsAll(lane0) && store.announced.contains(held));
        assertThat(store.announced).doesNotHaveDuplicates();
        for (int partition = 0; partition < PARTITIONS; partition++) {
            int p = partition;
            List<Integer> sequences = store.announcedProbes.stream().filter(probe -> probe.partition() == p)
                    .map(LaneProbe::sequence).toList();
            assertThat(sequences).as("partition %d", p).isNotEmpty().isSorted();
        }
        for (int partition = 0; partition < PARTITIONS; partition++) {
            int p = partition;
            await().atMost(TIMEOUT).until(() -> committed(p) == end(p));
        }
    }

    @Test
    void aRecordGoesToTheLaneOfItsPartition() {
        assertThat(DurableConsumer.lane(withPartition(0), 2)).isZero();
        assertThat(DurableConsumer.lane(withPartition(5), 2)).isEqualTo(1);
        assertThat(DurableConsumer.lane(withPartition(11), 3)).isEqualTo(2);
        assertThat(DurableConsumer.lane(MessageBuilder.withPayload(new byte[0]).build(), 2)).isZero();
    }

    private static Message<byte[]> withPartition(int partition) {
        return MessageBuilder.withPayload(new byte[0]).setHeader(KafkaHeaders.RECEIVED_PARTITION, partition).build();
    }

    private final Map<Integer, Integer> sequences = new ConcurrentHashMap<>();

    /** Sends a probe to {@code partition} as EventPublisher encodes it; answers its id. */
    private String send(int partition, String behaviour) throws Exception {
        String id = UUID.randomUUID().toString();
        int sequence = sequences.merge(partition, 1, Integer::sum);
        EventMetadata metadata = EventMetadata.of(PROBE_TYPE, "/probe", id, "tenant-probe", null).withId(id);
        ProducerRecord<byte[], byte[]> encoded = publisher.record(TOPIC,
                new OutgoingEvent(metadata, new LaneProbe(id, partition, sequence, behaviour), id));
        producer.send(new ProducerRecord<>(TOPIC, partition, encoded.key(), encoded.value(), encoded.headers()))
                .get();
        return id;
    }

    private static long committed(int partition) throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                .get(new TopicPartition(TOPIC, partition));
        return committed == null ? 0 : committed.offset();
    }

    private static long end(int partition) throws Exception {
        TopicPartition topicPartition = new TopicPartition(TOPIC, partition);
        return admin.listOffsets(Map.of(topicPartition, OffsetSpec.latest())).partitionResult(topicPartition).get()
                .offset();
    }

    record LaneProbe(String id, int partition, int sequence, String behaviour) {
    }

    /** Stores a list at once, or waits while it holds a "hold-store" probe; then announces it. */
    static class LaneStore {

        final List<String> storing = new CopyOnWriteArrayList<>();
        final List<String> stored = new CopyOnWriteArrayList<>();
        final List<String> announced = new CopyOnWriteArrayList<>();
        final List<LaneProbe> announcedProbes = new CopyOnWriteArrayList<>();
        private final Map<String, Sinks.Empty<Void>> held = new ConcurrentHashMap<>();

        Mono<Mono<Void>> store(List<EventEnvelope<LaneProbe>> events) {
            List<LaneProbe> probes = events.stream().map(EventEnvelope::payload).toList();
            return Mono.defer(() -> {
                probes.forEach(probe -> storing.add(probe.id()));
                Mono<Void> wait = Flux.fromIterable(probes)
                        .filter(probe -> "hold-store".equals(probe.behaviour()))
                        .concatMap(probe -> held.computeIfAbsent(probe.id(), key -> Sinks.empty()).asMono())
                        .then();
                return wait.then(Mono.fromRunnable(() -> probes.forEach(probe -> stored.add(probe.id()))))
                        .thenReturn(Mono.<Void>fromRunnable(() -> probes.forEach(probe -> {
                            announced.add(probe.id());
                            announcedProbes.add(probe);
                        })));
            });
        }

        void release(String id) {
            held.computeIfAbsent(id, key -> Sinks.empty()).tryEmitEmpty();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class LanesProbeApplication {

        @Bean
        LaneStore laneStore() {
            return new LaneStore();
        }

        @Bean
        Function<Flux<Message<byte[]>>, Mono<Void>> handleLaneProbes(DurableConsumer consumer, LaneStore store) {
            return records -> consumer.consumeBatchesPipelined("handleLaneProbes", records,
                    metadata -> PROBE_TYPE.equals(metadata.type()), LaneProbe.class, 5, Duration.ofMillis(100),
                    LANES, store::store);
        }
    }
}
