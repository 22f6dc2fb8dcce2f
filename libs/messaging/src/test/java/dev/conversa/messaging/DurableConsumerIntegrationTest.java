package dev.conversa.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
 * The consumer contract every service relies on, on a real KRaft broker: retries with back-off, dead letters for
 * what keeps failing or cannot be read, and offsets committed only once the handler's effect completed.
 */
@SpringBootTest(classes = DurableConsumerIntegrationTest.ProbeApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spring.cloud.function.definition=handleProbe",
            "spring.cloud.stream.bindings.handleProbe-in-0.destination=" + DurableConsumerIntegrationTest.TOPIC,
            "spring.cloud.stream.bindings.handleProbe-in-0.group=" + DurableConsumerIntegrationTest.GROUP,
            "spring.cloud.stream.kafka.default.consumer.ack-mode=manual",
            "spring.cloud.stream.kafka.default.producer.sync=true",
            "conversa.messaging.max-attempts=3",
            "conversa.messaging.initial-backoff=20ms",
            "conversa.messaging.max-backoff=50ms"
        })
class DurableConsumerIntegrationTest {

    static final String TOPIC = "probe.events";
    static final String GROUP = "probe-consumer";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Admin admin;

    @Autowired
    EventPublisher publisher;

    @Autowired
    ProbeHandler handler;

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
    void retriesTransientFailuresThenCommitsTheOffset() {
        String id = publish("fail-twice");

        await().atMost(TIMEOUT).until(() -> handler.succeeded.contains(id));
        assertThat(handler.attempts(id)).isEqualTo(3);
        awaitEverythingCommitted();
    }

    @Test
    void parksRecordThatKeepsFailingOnDeadLetterTopicAndGoesOn() {
        String failing = publish("fail-always");
        String next = publish("ok");

        await().atMost(TIMEOUT).until(() -> handler.succeeded.contains(next));
        assertThat(handler.attempts(failing)).isEqualTo(3);
        assertThat(handler.succeeded).doesNotContain(failing);
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetter(failing);
        assertThat(header(deadLetter, DeadLetters.EXCEPTION_MESSAGE)).contains("probe failure");
        assertThat(header(deadLetter, DeadLetters.ORIGINAL_TOPIC)).isEqualTo(TOPIC);
        assertThat(header(deadLetter, CloudEventHeaders.TYPE)).isEqualTo("conversa.test.probe.v1");
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).contains("fail-always");
        awaitEverythingCommitted();
    }

    @Test
    void deadLettersNonRetryableFailureAtOnce() {
        String id = publish("non-retryable");

        deadLetter(id);
        assertThat(handler.attempts(id)).isEqualTo(1);
        awaitEverythingCommitted();
    }

    @Test
    void deadLettersRecordThatIsNotACloudEventWithoutCallingTheHandler() throws Exception {
        String marker = UUID.randomUUID().toString();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class))) {
            producer.send(new ProducerRecord<>(TOPIC, ("{\"garbage\":\"" + marker + "\"}")
                    .getBytes(StandardCharsets.UTF_8))).get();
        }
        String next = publish("ok");

        await().atMost(TIMEOUT).until(() -> handler.succeeded.contains(next));
        ConsumerRecord<byte[], byte[]> deadLetter = awaitDeadLetter(
                record -> new String(record.value(), StandardCharsets.UTF_8).contains(marker));
        assertThat(header(deadLetter, DeadLetters.EXCEPTION_CLASS)).endsWith("InvalidEventException");
        awaitEverythingCommitted();
    }

    @Test
    void doesNotCommitTheOffsetBeforeTheEffectCompletes() throws Exception {
        awaitEverythingCommitted();
        long before = committedOffset();
        String id = publish("hold");

        await().atMost(TIMEOUT).until(() -> handler.attempts(id) == 1);
        // the handler has the record but its effect is not done: give the container several poll cycles
        await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
        assertThat(committedOffset()).isEqualTo(before);

        handler.release(id);
        await().atMost(TIMEOUT).until(() -> handler.succeeded.contains(id));
        awaitEverythingCommitted();
        assertThat(committedOffset()).isEqualTo(before + 1);
    }

    private String publish(String behaviour) {
        String id = UUID.randomUUID().toString();
        EventMetadata metadata = EventMetadata.of("conversa.test.probe.v1", "/probe", id, "tenant-probe", null)
                .withId(id);
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

    private static ConsumerRecord<byte[], byte[]> deadLetter(String eventId) {
        return awaitDeadLetter(record -> eventId.equals(header(record, CloudEventHeaders.ID)));
    }

    private static ConsumerRecord<byte[], byte[]> awaitDeadLetter(
            java.util.function.Predicate<ConsumerRecord<byte[], byte[]>> match) {
        List<ConsumerRecord<byte[], byte[]>> seen = new CopyOnWriteArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(TOPIC + ".dlq"));
            await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(match);
            });
        }
        return seen.stream().filter(match).findFirst().orElseThrow();
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    record Probe(String id, String behaviour) {
    }

    /** Behaves as each probe asks, counting attempts. */
    static class ProbeHandler {

        final List<String> succeeded = new CopyOnWriteArrayList<>();
        private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
        private final Map<String, Sinks.Empty<Void>> held = new ConcurrentHashMap<>();

        Mono<Void> handle(EventEnvelope<Probe> event) {
            Probe probe = event.payload();
            int attempt = attempts.computeIfAbsent(probe.id(), id -> new AtomicInteger()).incrementAndGet();
            Mono<Void> effect = switch (probe.behaviour()) {
                case "fail-twice" -> attempt <= 2 ? Mono.error(new IllegalStateException("probe failure"))
                        : Mono.empty();
                case "fail-always" -> Mono.error(new IllegalStateException("probe failure " + attempt));
                case "non-retryable" -> Mono.error(new NonRetryableException("probe refuses"));
                case "hold" -> held.computeIfAbsent(probe.id(), id -> Sinks.empty()).asMono();
                default -> Mono.empty();
            };
            return effect.doOnSuccess(ignored -> succeeded.add(probe.id()));
        }

        int attempts(String id) {
            return Optional.ofNullable(attempts.get(id)).map(AtomicInteger::get).orElse(0);
        }

        void release(String id) {
            held.computeIfAbsent(id, key -> Sinks.empty()).tryEmitEmpty();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ProbeApplication {

        @Bean
        ProbeHandler probeHandler() {
            return new ProbeHandler();
        }

        @Bean
        Function<Flux<Message<byte[]>>, Mono<Void>> handleProbe(DurableConsumer consumer, ProbeHandler handler) {
            return records -> consumer.consume("handleProbe", records, Probe.class, handler::handle);
        }
    }
}
