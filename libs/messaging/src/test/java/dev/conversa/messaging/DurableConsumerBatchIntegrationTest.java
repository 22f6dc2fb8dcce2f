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
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
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
 * Batch consumption on a real KRaft broker: records reach the handler as bounded lists, a failing list is retried
 * whole, then record by record so that only a poison record is parked, and no offset is committed before the
 * list's effect completed.
 */
@SpringBootTest(classes = DurableConsumerBatchIntegrationTest.BatchProbeApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spring.cloud.function.definition=handleProbeBatch",
            "spring.cloud.stream.bindings.handleProbeBatch-in-0.destination="
                    + DurableConsumerBatchIntegrationTest.TOPIC,
            "spring.cloud.stream.bindings.handleProbeBatch-in-0.group=" + DurableConsumerBatchIntegrationTest.GROUP,
            "spring.cloud.stream.kafka.default.consumer.ack-mode=manual",
            "spring.cloud.stream.kafka.default.producer.sync=true",
            "conversa.messaging.max-attempts=3",
            "conversa.messaging.initial-backoff=20ms",
            "conversa.messaging.max-backoff=50ms"
        })
class DurableConsumerBatchIntegrationTest {

    static final String TOPIC = "probe.batches";
    static final String GROUP = "probe-batch-consumer";
    static final int MAX_BATCH = 10;
    static final String PROBE_TYPE = "conversa.test.probe.v1";
    static final String OTHER_TYPE = "conversa.test.other.v1";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Admin admin;

    @Autowired
    EventPublisher publisher;

    @Autowired
    BatchProbeHandler handler;

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
    void handsRecordsToTheHandlerInBoundedBatchesAndCommitsThemAll() {
        List<String> ids = publishAll("ok", 35);

        await().atMost(TIMEOUT).until(() -> handler.succeeded.containsAll(ids));
        List<List<String>> batches = handler.batchesWithAny(ids);
        assertThat(batches).allSatisfy(batch -> assertThat(batch).hasSizeLessThanOrEqualTo(MAX_BATCH));
        assertThat(batches).anySatisfy(batch -> assertThat(batch).hasSizeGreaterThan(1));
        assertThat(ids).allSatisfy(id -> assertThat(handler.attempts(id)).isEqualTo(1));
        assertThat(handler.succeeded.stream().filter(ids::contains)).containsExactlyElementsOf(ids);
        awaitEverythingCommitted();
    }

    @Test
    void retriesAFailingBatchWholeBeforeGoingOneByOne() {
        List<String> ids = new ArrayList<>(publishAll("ok", 3));
        ids.add(publish("fail-twice"));
        ids.addAll(publishAll("ok", 3));

        await().atMost(TIMEOUT).until(() -> handler.succeeded.containsAll(ids));
        assertThat(ids).allSatisfy(id -> assertThat(handler.succeeded).containsOnlyOnce(id));
        awaitEverythingCommitted();
    }

    @Test
    void poisonRecordParksOnlyItselfAndTheRestOfItsBatchIsHandled() {
        List<String> good = new ArrayList<>(publishAll("ok", 4));
        String poison = publish("fail-always");
        good.addAll(publishAll("ok", 4));

        await().atMost(TIMEOUT).until(() -> handler.succeeded.containsAll(good));
        ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter(
                record -> poison.equals(header(record, CloudEventHeaders.ID)));
        assertThat(header(deadLetter, DeadLetters.EXCEPTION_MESSAGE)).contains("probe failure");
        assertThat(header(deadLetter, DeadLetters.CONSUMER)).isEqualTo("handleProbeBatch");
        assertThat(handler.succeeded).doesNotContain(poison);
        // the poison shared a list with good records at first, and was then tried alone: 3 attempts each way
        assertThat(handler.batchesWithAny(List.of(poison))).anySatisfy(batch -> assertThat(batch).hasSize(1));
        assertThat(deadLetterIds()).doesNotContainAnyElementsOf(good);
        awaitEverythingCommitted();
    }

    @Test
    void undecodableRecordIsParkedAndNeverReachesTheHandler() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(TOPIC, ("{\"garbage\":\"" + marker + "\"}")
                    .getBytes(StandardCharsets.UTF_8))).get();
        }
        List<String> next = publishAll("ok", 3);

        await().atMost(TIMEOUT).until(() -> handler.succeeded.containsAll(next));
        ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter(
                record -> new String(record.value(), StandardCharsets.UTF_8).contains(marker));
        assertThat(header(deadLetter, DeadLetters.EXCEPTION_CLASS)).endsWith("InvalidEventException");
        awaitEverythingCommitted();
    }

    @Test
    void recordsTheConsumerDoesNotAcceptAreAcknowledgedWithoutReachingTheHandler() {
        String other = UUID.randomUUID().toString();
        EventMetadata metadata = EventMetadata.of(OTHER_TYPE, "/probe", other, "tenant-probe", null).withId(other);
        // a payload the probe record could not even be read from: it must not be decoded at all
        publisher.publish(TOPIC, metadata, Map.of("unrelated", 1), other).block(TIMEOUT);
        String next = publish("ok");

        await().atMost(TIMEOUT).until(() -> handler.succeeded.contains(next));
        assertThat(handler.attempts(other)).isZero();
        assertThat(handler.seenIds).doesNotContain(other);
        awaitEverythingCommitted();
        assertThat(deadLetterIds()).doesNotContain(other);
    }

    @Test
    void doesNotCommitAnyRecordOfABatchBeforeItsEffectCompletes() throws Exception {
        awaitEverythingCommitted();
        long before = committedOffset();
        String held = publish("hold");
        List<String> rest = publishAll("ok", 3);

        await().atMost(TIMEOUT).until(() -> handler.attempts(held) == 1);
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(committedOffset()).isEqualTo(before);

        handler.release(held);
        await().atMost(TIMEOUT).until(() -> handler.succeeded.containsAll(rest) && handler.succeeded.contains(held));
        awaitEverythingCommitted();
        assertThat(committedOffset()).isEqualTo(before + 4);
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

    private static List<String> deadLetterIds() {
        return readDeadLetters(records -> false, Duration.ofSeconds(2)).stream()
                .map(record -> header(record, CloudEventHeaders.ID))
                .toList();
    }

    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(Predicate<ConsumerRecord<byte[], byte[]>> match) {
        List<ConsumerRecord<byte[], byte[]>> seen = readDeadLetters(
                records -> records.stream().anyMatch(match), TIMEOUT);
        return seen.stream().filter(match).findFirst().orElseThrow();
    }

    /** The dead letters of the probe topic, read until {@code done} holds or {@code timeout} passed. */
    private static List<ConsumerRecord<byte[], byte[]>> readDeadLetters(
            Predicate<List<ConsumerRecord<byte[], byte[]>>> done, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> seen = new CopyOnWriteArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(TOPIC + ".dlq"));
            while (!done.test(seen) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        return seen;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    record Probe(String id, String behaviour) {
    }

    /** Handles lists of probes: a list succeeds only when every probe in it does. */
    static class BatchProbeHandler {

        final List<String> succeeded = new CopyOnWriteArrayList<>();
        final List<String> seenIds = new CopyOnWriteArrayList<>();
        final List<List<String>> batches = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        private final Map<String, Sinks.Empty<Void>> held = new ConcurrentHashMap<>();

        Mono<Void> handle(List<EventEnvelope<Probe>> events) {
            List<String> ids = events.stream().map(event -> event.payload().id()).toList();
            batches.add(ids);
            seenIds.addAll(events.stream().map(EventEnvelope::id).toList());
            Mono<Void> effect = Mono.empty();
            for (EventEnvelope<Probe> event : events) {
                Probe probe = event.payload();
                int attempt = attempts.computeIfAbsent(probe.id(), id -> new AtomicInteger()).incrementAndGet();
                Mono<Void> one = switch (probe.behaviour()) {
                    case "fail-twice" -> attempt <= 2 ? Mono.error(new IllegalStateException("probe failure"))
                            : Mono.empty();
                    case "fail-always" -> Mono.error(new IllegalStateException("probe failure " + attempt));
                    case "hold" -> held.computeIfAbsent(probe.id(), id -> Sinks.empty()).asMono();
                    default -> Mono.empty();
                };
                effect = effect.then(one);
            }
            return effect.doOnSuccess(ignored -> succeeded.addAll(ids));
        }

        int attempts(String id) {
            return Optional.ofNullable(attempts.get(id)).map(AtomicInteger::get).orElse(0);
        }

        List<List<String>> batchesWithAny(List<String> ids) {
            return batches.stream().filter(batch -> batch.stream().anyMatch(ids::contains)).toList();
        }

        void release(String id) {
            held.computeIfAbsent(id, key -> Sinks.empty()).tryEmitEmpty();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BatchProbeApplication {

        @Bean
        BatchProbeHandler batchProbeHandler() {
            return new BatchProbeHandler();
        }

        @Bean
        Function<Flux<Message<byte[]>>, Mono<Void>> handleProbeBatch(DurableConsumer consumer,
                BatchProbeHandler handler) {
            return records -> consumer.consumeBatches("handleProbeBatch", records,
                    metadata -> PROBE_TYPE.equals(metadata.type()), Probe.class, MAX_BATCH, Duration.ofMillis(300),
                    handler::handle);
        }
    }
}
