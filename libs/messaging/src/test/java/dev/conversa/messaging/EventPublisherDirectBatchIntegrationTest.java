package dev.conversa.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.RecordTooLargeException;
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

/**
 * {@link EventPublisher#publishAll} with {@code conversa.messaging.publish-all-observations=false} (records straight to
 * the producer, one completion for the list) on a real KRaft broker: every record arrives once, those of one key in
 * order, the publish completes only when the broker has them all, and a record the producer refuses fails it.
 */
@SpringBootTest(classes = EventPublisherDirectBatchIntegrationTest.DirectPublisherApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spring.cloud.stream.kafka.default.producer.sync=true",
            "conversa.messaging.publish-all-observations=false"
        })
class EventPublisherDirectBatchIntegrationTest {

    static final String TOPIC = "probe.publish-all-direct";
    static final String TYPE = "conversa.test.probe.v1";
    static final int EVENTS = 2_000;
    static final int KEYS = 41;
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static Admin admin;

    @Autowired
    EventPublisher publisher;

    @DynamicPropertySource
    static void broker(DynamicPropertyRegistry registry) {
        registry.add("spring.cloud.stream.kafka.binder.brokers", TestKafka::bootstrapServers);
    }

    @BeforeAll
    static void createTopic() throws Exception {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
        admin.createTopics(List.of(new NewTopic(TOPIC, 6, (short) 1))).all().get();
    }

    @AfterAll
    static void closeAdmin() {
        admin.close();
    }

    record Probe(String key, int sequence, String filler) {
    }

    @Test
    void publishesEveryEventOnceInOrderPerKey() {
        List<OutgoingEvent> events = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            String key = "key-" + (i % KEYS);
            EventMetadata metadata = new EventMetadata(UUID.randomUUID().toString(), TYPE, "/probe", Instant.now(),
                    key, "tenant", null);
            events.add(new OutgoingEvent(metadata, new Probe(key, i, ""), key));
        }

        publisher.publishAll(TOPIC, events).block(TIMEOUT);

        List<ConsumerRecord<byte[], byte[]>> records = EventPublisherBatchIntegrationTest.read(TOPIC, EVENTS);
        assertThat(records).hasSize(EVENTS);
        Set<String> ids = new HashSet<>();
        Map<String, List<Integer>> sequencesByKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ids.add(new String(record.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8));
            String json = new String(record.value(), StandardCharsets.UTF_8);
            String key = new String(record.key(), StandardCharsets.UTF_8);
            int sequence = Integer.parseInt(json.replaceAll(".*\"sequence\":(\\d+).*", "$1"));
            sequencesByKey.computeIfAbsent(key, k -> new ArrayList<>()).add(sequence);
        }
        assertThat(ids).hasSize(EVENTS);
        assertThat(sequencesByKey).hasSize(KEYS);
        sequencesByKey.values().forEach(sequences -> assertThat(sequences).isSorted());
    }

    @Test
    void failsWhenTheProducerRefusesARecord() {
        EventMetadata small = new EventMetadata(UUID.randomUUID().toString(), TYPE, "/probe", Instant.now(), "k",
                "tenant", null);
        EventMetadata large = new EventMetadata(UUID.randomUUID().toString(), TYPE, "/probe", Instant.now(), "k",
                "tenant", null);
        // above the producer's max.request.size (1 MiB)
        Probe tooLarge = new Probe("k", 2, "x".repeat(2 * 1024 * 1024));

        assertThatThrownBy(() -> publisher.publishAll(TOPIC, List.of(
                        new OutgoingEvent(small, new Probe("k", 1, ""), "k"),
                        new OutgoingEvent(large, tooLarge, "k")))
                .block(TIMEOUT))
                .isInstanceOf(RecordTooLargeException.class);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class DirectPublisherApplication {
    }
}
