package dev.conversa.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.messaging.Message;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.conversa.events.cloudevents.CloudEventHeaders;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.testsupport.TestKafka;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Pipelined batches on a real KRaft broker: the next list is stored while the previous one is announced,
 * announcements run in list order, a failing announcement is retried without storing again, and no offset is
 * committed before a list's announcement completed.
 */
@SpringBootTest(classes = DurableConsumerPipelinedIntegrationTest.PipelinedProbeApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spring.cloud.function.definition=handlePipelinedProbes",
            "spring.cloud.stream.bindings.handlePipelinedProbes-in-0.destination="
                    + DurableConsumerPipelinedIntegrationTest.TOPIC,
            "spring.cloud.stream.bindings.handlePipelinedProbes-in-0.group="
                    + DurableConsumerPipelinedIntegrationTest.GROUP,
            "spring.cloud.stream.kafka.default.consumer.ack-mode=manual",
            "spring.cloud.stream.kafka.default.producer.sync=true",
            "conversa.messaging.max-attempts=3",
            "conversa.messaging.initial-backoff=20ms",
            "conversa.messaging.max-backoff=50ms"
        })
class DurableConsumerPipelinedIntegrationTest {

    static final String TOPIC = "probe.pipelined";
    static final String GROUP = "probe-pipelined-consumer";
    static final int MAX_BATCH = 5;
    static final String PROBE_TYPE = "conversa.test.probe.v1";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Admin admin;

    @Autowired
    EventPublisher publisher;

    @Autowired
    StoreThenAnnounce handler;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", TestKafka::bootstrapServers);
    }

    @BeforeAll
    static void createTopic() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    @Test
    void storesAndAnnouncesEveryRecordOnceInOrder() {
        List<String> ids = publishAll("ok", 23);

        await().atMost(TIMEOUT).until(() -> handler.announced.containsAll(ids));
        assertThat(ids).allSatisfy(id -> {
            assertThat(handler.stores(id)).isEqualTo(1);
            assertThat(handler.announced).containsOnlyOnce(id);
        });
        assertThat(handler.announced.stream().filter(ids::contains)).containsExactlyElementsOf(ids);
        awaitEverythingCommitted();
    }

    @Test
    void storesTheNextListWhileAnAnnouncementIsPendingAndCommitsNothingBeforeIt() throws Exception {
        awaitEverythingCommitted();
        long before = committedOffset();
        String held = publish("hold-announcement");
        await().atMost(TIMEOUT).until(() -> handler.stores(held) == 1);
        List<String> next = publishAll("ok", 3);

        // the next list is stored while the first one's announcement waits, but not announced before it
        await().atMost(TIMEOUT).until(() -> handler.stored.containsAll(next));
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertThat(handler.announced).doesNotContainAnyElementsOf(next).doesNotContain(held);
        assertThat(committedOffset()).isEqualTo(before);

        handler.release(held);
        await().atMost(TIMEOUT).until(() -> handler.announced.containsAll(next));
        List<String> order = handler.announced.stream().filter(id -> id.equals(held) || next.contains(id)).toList();
        assertThat(order.getFirst()).isEqualTo(held);
        awaitEverythingCommitted();
        assertThat(committedOffset()).isEqualTo(before + 4);
    }

    @Test
    void retriesAFailingAnnouncementWithoutStoringAgain() {
        String flaky = publish("announcement-fails-twice");
        List<String> rest = publishAll("ok", 2);

        await().atMost(TIMEOUT).until(() -> handler.announced.contains(flaky) && handler.announced.containsAll(rest));
        assertThat(handler.announcementAttempts(flaky)).isEqualTo(3);
        assertThat(handler.stores(flaky)).isEqualTo(1);
        assertThat(handler.announced).containsOnlyOnce(flaky);
        awaitEverythingCommitted();
    }

    @Test
    void parksOnlyTheRecordWhoseStoreKeepsFailing() {
        List<String> good = new ArrayList<>(publishAll("ok", 2));
        String poison = publish("store-fails-always");
        good.addAll(publishAll("ok", 2));

        await().atMost(TIMEOUT).until(() -> handler.announced.containsAll(good));
        assertThat(awaitDeadLetterIds(poison)).contains(poison);
        assertThat(handler.announced).doesNotContain(poison);
        awaitEverythingCommitted();
    }

    @Test
    void parksTheRecordsWhoseAnnouncementKeepsFailing() {
        String poison = publish("announcement-fails-always");
        List<String> next = publishAll("ok", 2);

        await().atMost(TIMEOUT).until(() -> handler.announced.containsAll(next));
        assertThat(awaitDeadLetterIds(poison)).contains(poison);
        assertThat(handler.announced).doesNotContain(poison);
        awaitEverythingCommitted();
    }

    private List<String> publishAll(String behaviour, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(publish(behaviour));
        }
        return ids;
    }

    private String publish(String behaviour) {
        String id = UUID.randomUUID().toString();
        EventMetadata metadata = EventMetadata.of(PROBE_TYPE, "/probe", id, "tenant-probe", null).withId(id);
        publisher.publish(TOPIC, metadata, new Probe(id, behaviour), id).block(TIMEOUT);
        return id;
    }

    private static long committedOffset() throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                .get(PARTITION);
        return committed == null ? 0 : committed.offset();
    }

    private static void awaitEverythingCommitted() {
        await().atMost(TIMEOUT).until(() -> committedOffset() == endOffset());
    }

    private static long endOffset() throws Exception {
        return admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest())).partitionResult(PARTITION).get().offset();
    }

    /** The ids on the dead-letter topic, read until {@code expected} is among them or the timeout passed. */
    private static List<String> awaitDeadLetterIds(String expected) {
        List<String> ids = new ArrayList<>();
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(TOPIC + ".dlq"));
            while (!ids.contains(expected) && System.nanoTime() < deadline) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Header id = record.headers().lastHeader(CloudEventHeaders.ID);
                    ids.add(id == null ? null : new String(id.value(), StandardCharsets.UTF_8));
                }
            }
        }
        return ids;
    }

    record Probe(String id, String behaviour) {
    }

    /** Stores a list (remembering each probe), then announces it: each step fails or waits as the probes say. */
    static class StoreThenAnnounce {

        final List<String> stored = new CopyOnWriteArrayList<>();
        final List<String> announced = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> stores = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> announcements = new ConcurrentHashMap<>();
        private final Map<String, Sinks.Empty<Void>> held = new ConcurrentHashMap<>();

        Mono<Mono<Void>> store(List<EventEnvelope<Probe>> events) {
            List<Probe> probes = events.stream().map(EventEnvelope::payload).toList();
            return Mono.defer(() -> {
                probes.forEach(probe -> count(stores, probe.id()));
                if (probes.stream().anyMatch(probe -> "store-fails-always".equals(probe.behaviour()))) {
                    return Mono.error(new IllegalStateException("probe store failure"));
                }
                probes.forEach(probe -> stored.add(probe.id()));
                return Mono.just(Mono.defer(() -> announce(probes)));
            });
        }

        private Mono<Void> announce(List<Probe> probes) {
            Mono<Void> effect = Mono.empty();
            for (Probe probe : probes) {
                int attempt = count(announcements, probe.id());
                Mono<Void> one = switch (probe.behaviour()) {
                    case "announcement-fails-twice" -> attempt <= 2
                            ? Mono.error(new IllegalStateException("probe announcement failure")) : Mono.empty();
                    case "announcement-fails-always" ->
                            Mono.error(new IllegalStateException("probe announcement failure " + attempt));
                    case "hold-announcement" -> held.computeIfAbsent(probe.id(), id -> Sinks.empty()).asMono();
                    default -> Mono.empty();
                };
                effect = effect.then(one);
            }
            return effect.doOnSuccess(ignored -> probes.forEach(probe -> announced.add(probe.id())));
        }

        int stores(String id) {
            return Optional.ofNullable(stores.get(id)).map(AtomicInteger::get).orElse(0);
        }

        int announcementAttempts(String id) {
            return Optional.ofNullable(announcements.get(id)).map(AtomicInteger::get).orElse(0);
        }

        void release(String id) {
            held.computeIfAbsent(id, key -> Sinks.empty()).tryEmitEmpty();
        }

        private static int count(Map<String, AtomicInteger> counts, String id) {
            return counts.computeIfAbsent(id, key -> new AtomicInteger()).incrementAndGet();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PipelinedProbeApplication {

        @Bean
        StoreThenAnnounce storeThenAnnounce() {
            return new StoreThenAnnounce();
        }

        @Bean
        Function<Flux<Message<byte[]>>, Mono<Void>> handlePipelinedProbes(DurableConsumer consumer,
                StoreThenAnnounce handler) {
            return records -> consumer.consumeBatchesPipelined("handlePipelinedProbes", records,
                    metadata -> PROBE_TYPE.equals(metadata.type()), Probe.class, MAX_BATCH, Duration.ofMillis(200),
                    handler::store);
        }
    }
}
