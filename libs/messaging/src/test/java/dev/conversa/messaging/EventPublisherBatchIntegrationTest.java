package dev.conversa.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.conversa.events.cloudevents.CloudEventHeaders;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.testsupport.TestKafka;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@link EventPublisher#publishAll} on a real KRaft broker: every record arrives, with the key and the headers
 * {@link EventPublisher#publish} gives a record, and the records of one key in the order they were given.
 */
@SpringBootTest(classes = EventPublisherBatchIntegrationTest.PublisherApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = "spring.cloud.stream.kafka.default.producer.sync=true")
class EventPublisherBatchIntegrationTest {

    static final String TOPIC = "probe.publish-all";
    static final String SINGLE_TOPIC = "probe.publish-one";
    static final String TYPE = "conversa.test.probe.v1";
    static final int EVENTS = 1_000;
    static final int KEYS = 37;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static Admin admin;

    @Autowired
    EventPublisher publisher;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", TestKafka::bootstrapServers);
    }

    @BeforeAll
    static void createTopics() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1), new NewTopic(SINGLE_TOPIC, 1, (short) 1)))
                .all().get();
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    record Probe(String key, int sequence) {
    }

    @Test
    void publishesEveryEventWithItsHeadersAndKeyInOrderPerKey() {
        Instant time = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<OutgoingEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String key = "key-" + (i % KEYS);
            EventMetadata metadata = new EventMetadata(UUID.randomUUID().toString(), TYPE, "/probe", time, key,
                    "tenant-" + (i % 3), i % 2 == 0 ? UUID.randomUUID().toString() : null);
            events.add(new OutgoingEvent(metadata, new Probe(key, i), key));
        }

        publisher.publishAll(TOPIC, events).block(TIMEOUT);

        List<ConsumerRecord<byte[], byte[]>> records = read(TOPIC, EVENTS);
        assertThat(records).hasSize(EVENTS);
        Map<String, OutgoingEvent> byId = new HashMap<>();
        events.forEach(event -> byId.put(event.metadata().id(), event));
        Map<String, List<Integer>> sequencesByKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            OutgoingEvent event = byId.get(header(record, CloudEventHeaders.ID));
            assertThat(event).isNotNull();
            EventMetadata metadata = event.metadata();
            assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo(event.key());
            assertThat(header(record, CloudEventHeaders.SPEC_VERSION)).isEqualTo("1.0");
            assertThat(header(record, CloudEventHeaders.TYPE)).isEqualTo(TYPE);
            assertThat(header(record, CloudEventHeaders.SOURCE)).isEqualTo("/probe");
            assertThat(header(record, CloudEventHeaders.TIME)).isEqualTo(time.toString());
            assertThat(header(record, CloudEventHeaders.SUBJECT)).isEqualTo(metadata.subject());
            assertThat(header(record, CloudEventHeaders.TENANT_ID)).isEqualTo(metadata.tenantId());
            assertThat(header(record, CloudEventHeaders.SESSION_ID)).isEqualTo(metadata.sessionId());
            assertThat(header(record, CloudEventHeaders.CONTENT_TYPE)).isEqualTo(CloudEventHeaders.JSON);
            String json = new String(record.value(), StandardCharsets.UTF_8);
            assertThat(json).contains("\"sequence\":" + ((Probe) event.payload()).sequence());
            sequencesByKey.computeIfAbsent(event.key(), key -> new ArrayList<>())
                    .add(((Probe) event.payload()).sequence());
        }
        assertThat(sequencesByKey).hasSize(KEYS);
        sequencesByKey.values().forEach(sequences -> assertThat(sequences).isSorted());
    }

    @Test
    void encodesARecordExactlyAsPublishDoes() {
        EventMetadata metadata = new EventMetadata(UUID.randomUUID().toString(), TYPE, "/probe", Instant.now(),
                "subject", "tenant", UUID.randomUUID().toString());
        Probe payload = new Probe("k", 1);
        publisher.publish(SINGLE_TOPIC, metadata, payload, "k").block(TIMEOUT);
        publisher.publishAll(SINGLE_TOPIC, List.of(new OutgoingEvent(metadata, payload, "k"))).block(TIMEOUT);

        List<ConsumerRecord<byte[], byte[]>> records = read(SINGLE_TOPIC, 2);
        assertThat(records).hasSize(2);
        ConsumerRecord<byte[], byte[]> one = records.get(0);
        ConsumerRecord<byte[], byte[]> all = records.get(1);
        assertThat(all.key()).isEqualTo(one.key());
        assertThat(all.value()).isEqualTo(one.value());
        assertThat(headers(all)).isEqualTo(headers(one));
    }

    private static Map<String, String> headers(ConsumerRecord<byte[], byte[]> record) {
        Map<String, String> headers = new java.util.TreeMap<>();
        for (Header header : record.headers()) {
            String value = new String(header.value(), StandardCharsets.UTF_8);
            // a JSON object of header types: the same map, whatever the order of its properties
            headers.put(header.key(), "spring_json_header_types".equals(header.key())
                    ? new java.util.TreeMap<>(JsonMapper.builder().build().readValue(value, Map.class)).toString()
                    : value);
        }
        return headers;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** Every record of {@code topic} from the beginning, read until {@code expected} arrived (and a little more). */
    static List<ConsumerRecord<byte[], byte[]>> read(String topic, int expected) {
        List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "probe-reader-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (seen.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
            // anything beyond what was expected would be a duplicate
            consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
        }
        return seen;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PublisherApplication {
    }
}
