package dev.conversa.message.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.messaging.Message;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.events.message.MessageType;
import dev.conversa.message.MessageIntegrity;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestKafka;
import dev.conversa.testsupport.TopicRecords;

/**
 * message-service whole on real servers, its four consumers in a consumer group of their own per test class
 * (starting at the latest offset once every partition is assigned), so test classes running in one JVM never take
 * each other's records. Helpers publish what session-service and distribution-service would.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.stream.bindings.recordInboundMessage-in-0.group=${conversa.test.consumer-group}",
        "spring.cloud.stream.bindings.recordMessageStatus-in-0.group=${conversa.test.consumer-group}",
        "spring.cloud.stream.bindings.recordOutboundMessage-in-0.group=${conversa.test.consumer-group}",
        "spring.cloud.stream.bindings.applyConversationAssignment-in-0.group=${conversa.test.consumer-group}",
        "spring.cloud.stream.kafka.bindings.recordInboundMessage-in-0.consumer.start-offset=latest",
        "spring.cloud.stream.kafka.bindings.recordMessageStatus-in-0.consumer.start-offset=latest",
        "spring.cloud.stream.kafka.bindings.recordOutboundMessage-in-0.consumer.start-offset=latest",
        "spring.cloud.stream.kafka.bindings.applyConversationAssignment-in-0.consumer.start-offset=latest",
})
public abstract class IngestTestBase {

    protected static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> TOPICS = List.of(Topics.WA_MESSAGE_INBOUND, Topics.WA_MESSAGE_STATUS,
            Topics.WA_COMMANDS, Topics.CRM_CONVERSATION_EVENTS);

    @Autowired
    protected EventPublisher publisher;

    @Autowired
    protected RealServers servers;

    @Autowired
    protected CloudEventCodec codec;

    @Autowired
    private Environment environment;

    @Autowired
    private DatabaseClient db;

    /** Consumer groups known to own every partition (one per test class's context). */
    private static final java.util.Set<String> ASSIGNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @DynamicPropertySource
    static void consumerGroup(DynamicPropertyRegistry registry) {
        String group = "message-service-test-" + UUID.randomUUID();
        registry.add("conversa.test.consumer-group", () -> group);
    }

    @BeforeEach
    void consumersOwnEveryPartition() {
        String group = environment.getRequiredProperty("conversa.test.consumer-group");
        if (!ASSIGNED.contains(group)) {
            TOPICS.forEach(topic -> TestKafka.awaitAssignment(group, topic, TIMEOUT));
            ASSIGNED.add(group);
        }
    }

    @AfterEach
    void everyMessageBelongsToAConversationOfItsTenant() {
        MessageIntegrity.assertEveryMessageInAConversationOfItsTenant(db);
    }

    protected static MessageReceived received(String tenant, UUID session, String waMessageId, String from,
            String text) {
        Instant now = Instant.now();
        return new MessageReceived(tenant, session, waMessageId, from, "Ana", MessageType.TEXT, text, null, null,
                null, null, null, now, now);
    }

    protected static SendMessageRequested command(String tenant, UUID session, String to, String text) {
        String key = "key-" + UUID.randomUUID();
        return new SendMessageRequested(tenant, session, UUID.randomUUID(), key, "corr-" + key, to,
                MessageType.TEXT, text, null, null, null, null, null, "user:agent-1", Instant.now());
    }

    protected static MessageStatusChanged status(SendMessageRequested command, String waMessageId,
            DeliveryStatus status) {
        return new MessageStatusChanged(command.tenantId(), command.sessionId(), command.messageId(), waMessageId,
                command.idempotencyKey(), command.correlationId(), command.to(), status,
                status == DeliveryStatus.FAILED ? 131026 : null,
                status == DeliveryStatus.FAILED ? "Message undeliverable" : null,
                status == DeliveryStatus.FAILED ? Boolean.FALSE : null, Instant.now());
    }

    /** Publishes as session-service does, keyed by session; answers the event id. */
    protected String publishInbound(MessageReceived message, String eventId) {
        EventMetadata metadata = new EventMetadata(eventId, EventTypes.MESSAGE_RECEIVED, "/session-service",
                Instant.now(), message.sessionId().toString(), message.tenantId(), message.sessionId().toString());
        publisher.publish(Topics.WA_MESSAGE_INBOUND, metadata, message, message.sessionId().toString())
                .block(TIMEOUT);
        return eventId;
    }

    protected void publishStatus(MessageStatusChanged status) {
        String type = "conversa.message." + status.status().value() + ".v1";
        EventMetadata metadata = EventMetadata.of(type, "/session-service", status.sessionId().toString(),
                status.tenantId(), status.sessionId().toString());
        publisher.publish(Topics.WA_MESSAGE_STATUS, metadata, status, status.sessionId().toString()).block(TIMEOUT);
    }

    protected void publishCommand(SendMessageRequested command, String eventId) {
        EventMetadata metadata = new EventMetadata(eventId, EventTypes.MESSAGE_SEND_REQUESTED, "/campaign-service",
                Instant.now(), command.sessionId().toString(), command.tenantId(), command.sessionId().toString());
        publisher.publish(Topics.WA_COMMANDS, metadata, command, command.sessionId().toString()).block(TIMEOUT);
    }

    /**
     * Publishes many events at once with a plain producer (asynchronous sends, one flush), as a busy session-service
     * would: CloudEvents headers as UTF-8 bytes, the key as the record key.
     */
    protected void produceAll(String topic, List<ProducerEvent> events) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 5))) {
            List<java.util.concurrent.Future<?>> sent = new java.util.ArrayList<>();
            for (ProducerEvent event : events) {
                Message<byte[]> message = codec.encode(event.metadata(), event.payload(), event.key());
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic,
                        event.key().getBytes(StandardCharsets.UTF_8), message.getPayload());
                message.getHeaders().forEach((name, value) -> {
                    if (name.startsWith("ce_") && value instanceof String text) {
                        record.headers().add(name, text.getBytes(StandardCharsets.UTF_8));
                    }
                });
                sent.add(producer.send(record));
            }
            producer.flush();
            for (java.util.concurrent.Future<?> future : sent) {
                future.get(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        catch (Exception e) {
            throw new IllegalStateException("Could not produce to " + topic, e);
        }
    }

    /** One event for {@link #produceAll}. */
    protected record ProducerEvent(EventMetadata metadata, Object payload, String key) {
    }

    protected static ProducerEvent inboundEvent(MessageReceived message) {
        EventMetadata metadata = EventMetadata.of(EventTypes.MESSAGE_RECEIVED, "/session-service",
                message.sessionId().toString(), message.tenantId(), message.sessionId().toString());
        return new ProducerEvent(metadata, message, message.sessionId().toString());
    }

    protected long count(String sql, Object... parameters) {
        return servers.database().queryLong(sql, parameters);
    }

    protected String text(String sql, Object... parameters) {
        return servers.database().queryString(sql, parameters);
    }

    /** Waits until at least {@code atLeast} events of {@code type} keyed {@code conversationId} are published. */
    protected static List<ConsumerRecord<String, byte[]>> conversationEvents(UUID conversationId, String type,
            int atLeast) {
        List<List<ConsumerRecord<String, byte[]>>> found = new java.util.ArrayList<>();
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(() -> {
            List<ConsumerRecord<String, byte[]>> records = conversationEventsNow(conversationId, type);
            found.add(records);
            return records.size() >= atLeast;
        });
        return found.getLast();
    }

    /** The events of {@code type} keyed {@code conversationId} published so far (reads for a few seconds). */
    protected static List<ConsumerRecord<String, byte[]>> conversationEventsNow(UUID conversationId, String type) {
        return TopicRecords.read(Topics.CRM_CONVERSATION_EVENTS, conversationId.toString(), 1, Duration.ofSeconds(3))
                .stream()
                .filter(record -> type.equals(TopicRecords.header(record, "ce_type")))
                .toList();
    }
}
