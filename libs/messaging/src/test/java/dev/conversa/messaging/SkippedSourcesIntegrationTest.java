package dev.conversa.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.messaging.Message;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import dev.conversa.events.cloudevents.CloudEventHeaders;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.testsupport.TestKafka;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code conversa.messaging.skipped-sources} on a real KRaft broker: a binding never sees the records of a skipped
 * {@code ce_source} (not even as a record its handler refuses), and their offsets are committed all the same, also
 * when they come last.
 */
@SpringBootTest(classes = SkippedSourcesIntegrationTest.SkippingApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.NONE,
        properties = {
            "spring.cloud.function.definition=handleForeignProbes",
            "spring.cloud.stream.bindings.handleForeignProbes-in-0.destination=" + SkippedSourcesIntegrationTest.TOPIC,
            "spring.cloud.stream.bindings.handleForeignProbes-in-0.group=" + SkippedSourcesIntegrationTest.GROUP,
            "spring.cloud.stream.kafka.default.consumer.ack-mode=manual",
            "spring.cloud.stream.kafka.default.producer.sync=true",
            "conversa.messaging.skipped-sources.[" + SkippedSourcesIntegrationTest.TOPIC + "]="
                    + SkippedSourcesIntegrationTest.OWN_SOURCE
        })
class SkippedSourcesIntegrationTest {

    static final String TOPIC = "probe.skipped-sources";
    static final String GROUP = "probe-skipping-consumer";
    static final String OWN_SOURCE = "/self";
    static final String PROBE_TYPE = "conversa.test.probe.v1";
    private static final TopicPartition PARTITION = new TopicPartition(TOPIC, 0);
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static Admin admin;

    @Autowired
    EventPublisher publisher;

    @Autowired
    List<String> handled;

    @Autowired
    Map<String, AbstractMessageListenerContainer<?, ?>> containers;

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
    void neverHandsOverRecordsOfASkippedSourceAndCommitsThemAll() {
        List<String> own = new ArrayList<>(publishAll(OWN_SOURCE, 3));
        String foreign = publish("/distribution-service");
        // skipped records last: their offsets must be committed although no record after them is handled
        own.addAll(publishAll(OWN_SOURCE, 3));

        await().atMost(TIMEOUT).until(() -> handled.contains(foreign));
        await().atMost(TIMEOUT).until(() -> committedOffset() == endOffset());
        assertThat(handled).doesNotContainAnyElementsOf(own);
    }

    @Test
    void pollsLargerListsOnTheSkippingContainerOnly() {
        // the binder's own container of the skipping binding, as the customizer left it (the property's default)
        AbstractMessageListenerContainer<?, ?> bound = containers.get(TOPIC);
        assertThat(bound.getContainerProperties().isAsyncAcks()).isTrue();
        assertThat(bound.getContainerProperties().getKafkaConsumerProperties()
                .getProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo("2000");

        SkippedSources skipped = new SkippedSources(Map.of(TOPIC, List.of(OWN_SOURCE)), 750);
        AbstractMessageListenerContainer<?, ?> skipping = container();
        skipped.containerCustomizer().configure(skipping, TOPIC, GROUP);
        assertThat(skipping.getContainerProperties().getKafkaConsumerProperties()
                .getProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG)).isEqualTo("750");

        AbstractMessageListenerContainer<?, ?> notSkipping = container();
        skipped.containerCustomizer().configure(notSkipping, "another.topic", GROUP);
        assertThat(notSkipping.getContainerProperties().isAsyncAcks()).isFalse();
        assertThat(notSkipping.getContainerProperties().getKafkaConsumerProperties()).isEmpty();
    }

    private static AbstractMessageListenerContainer<?, ?> container() {
        return new KafkaMessageListenerContainer<>(new DefaultKafkaConsumerFactory<byte[], byte[]>(Map.of()),
                new ContainerProperties(TOPIC));
    }

    @Test
    void skipsByTheCanonicalHeaderNameToo() {
        SkippedSources skipped = new SkippedSources(Map.of(TOPIC, List.of(OWN_SOURCE)), 500);
        assertThat(skipped.skips(TOPIC, record("ce_source", OWN_SOURCE))).isTrue();
        assertThat(skipped.skips(TOPIC, record("ce-source", OWN_SOURCE))).isTrue();
        assertThat(skipped.skips(TOPIC, record("ce_source", "/other"))).isFalse();
        assertThat(skipped.skips(TOPIC, record("content-type", OWN_SOURCE))).isFalse();
        assertThat(skipped.skips("another.topic", record("ce_source", OWN_SOURCE))).isFalse();
    }

    private static ConsumerRecord<byte[], byte[]> record(String header, String value) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(header, value.getBytes(StandardCharsets.UTF_8));
        return new ConsumerRecord<>(TOPIC, 0, 0, 0L, org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0,
                new byte[0], new byte[0], headers, java.util.Optional.empty());
    }

    private List<String> publishAll(String source, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(publish(source));
        }
        return ids;
    }

    private String publish(String source) {
        String id = UUID.randomUUID().toString();
        EventMetadata metadata = EventMetadata.of(PROBE_TYPE, source, id, "tenant-probe", null).withId(id);
        publisher.publish(TOPIC, metadata, new Probe(id), id).block(TIMEOUT);
        return id;
    }

    private static long committedOffset() throws Exception {
        OffsetAndMetadata committed = admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get()
                .get(PARTITION);
        return committed == null ? 0 : committed.offset();
    }

    private static long endOffset() throws Exception {
        return admin.listOffsets(Map.of(PARTITION, OffsetSpec.latest())).partitionResult(PARTITION).get().offset();
    }

    record Probe(String id) {
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SkippingApplication {

        @Bean
        List<String> handled() {
            return new CopyOnWriteArrayList<>();
        }

        @Bean
        Map<String, AbstractMessageListenerContainer<?, ?>> containers() {
            return new ConcurrentHashMap<>();
        }

        /** A service's own customizer must include the skipping one (as message-service's does); this one also keeps
         * the containers to look at. */
        @Bean
        ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> keepingContainerCustomizer(
                SkippedSources skippedSources, Map<String, AbstractMessageListenerContainer<?, ?>> containers) {
            ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> skipping =
                    skippedSources.containerCustomizer();
            return (container, destination, group) -> {
                skipping.configure(container, destination, group);
                containers.put(destination, container);
            };
        }

        /** Every record the handler gets, accepted or not by type: a skipped one must never arrive at all. */
        @Bean
        Function<Flux<Message<byte[]>>, Mono<Void>> handleForeignProbes(DurableConsumer consumer,
                List<String> handled) {
            return records -> consumer.consumeBatches("handleForeignProbes", records,
                    metadata -> handled.add(metadata.id()), Probe.class, 10, Duration.ofMillis(100),
                    (List<EventEnvelope<Probe>> events) -> Mono.empty());
        }
    }
}
