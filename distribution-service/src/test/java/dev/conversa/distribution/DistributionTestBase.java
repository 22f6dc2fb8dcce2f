package dev.conversa.distribution;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeEach;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageType;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;
import dev.conversa.testsupport.TopicRecords;

/**
 * distribution-service whole on real servers, its consumer in a group of its own per test class (latest offset, once
 * every partition is assigned). Helpers publish what message-service would and call the API with test tokens.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.stream.bindings.routeConversations-in-0.group=${conversa.test.consumer-group}",
        "spring.cloud.stream.kafka.bindings.routeConversations-in-0.consumer.start-offset=latest",
        "conversa.distribution.bot-timeout-cron=-",
        "conversa.distribution.alert-interval=1h",
})
public abstract class DistributionTestBase {

    protected static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final Set<String> ASSIGNED = ConcurrentHashMap.newKeySet();

    @Autowired
    protected RealServers servers;

    @Autowired
    protected CloudEventCodec codec;

    @Autowired
    protected WebTestClient web;

    @Autowired
    protected MeterRegistry meters;

    @Autowired
    private Environment environment;

    @DynamicPropertySource
    static void consumerGroup(DynamicPropertyRegistry registry) {
        String group = "distribution-service-test-" + UUID.randomUUID();
        registry.add("conversa.test.consumer-group", () -> group);
    }

    @BeforeEach
    void consumerOwnsEveryPartition() {
        String group = environment.getRequiredProperty("conversa.test.consumer-group");
        if (!ASSIGNED.contains(group)) {
            TestKafka.awaitAssignment(group, Topics.CRM_CONVERSATION_EVENTS, TIMEOUT);
            ASSIGNED.add(group);
        }
    }

    protected static String token(String subject, String tenant, String... roles) {
        return TestJwts.get().token(subject, tenant, roles);
    }

    protected WebTestClient.ResponseSpec put(String token, String path, Object body) {
        return web.put().uri(path).headers(h -> h.setBearerAuth(token)).bodyValue(body).exchange();
    }

    protected WebTestClient.ResponseSpec post(String token, String path, Object body) {
        return web.post().uri(path).headers(h -> h.setBearerAuth(token)).bodyValue(body).exchange();
    }

    protected WebTestClient.ResponseSpec patch(String token, String path, Object body) {
        return web.patch().uri(path).headers(h -> h.setBearerAuth(token)).bodyValue(body).exchange();
    }

    protected WebTestClient.ResponseSpec get(String token, String path) {
        return web.get().uri(path).headers(h -> h.setBearerAuth(token)).exchange();
    }

    /** An agent with the agent role sets itself online (creating its record) and gets the capacity. */
    protected void agentOnline(String tenant, String agent, int capacity) {
        put(token(agent, tenant, "agent"), "/api/v1/agents/me/status", Map.of("status", "online"))
                .expectStatus().isOk();
        if (capacity != 10) {
            patch(token("sup", tenant, "supervisor"), "/api/v1/agents/" + agent, Map.of("maxConcurrent", capacity))
                    .expectStatus().isOk();
        }
    }

    protected void agentStatus(String tenant, String agent, String status) {
        put(token(agent, tenant, "agent"), "/api/v1/agents/me/status", Map.of("status", status))
                .expectStatus().isOk();
    }

    protected static ConversationChanged conversation(String tenant, UUID id, UUID session, String phone,
            ConversationStatus status, Instant at) {
        return new ConversationChanged(tenant, id, session, phone, "Ana", status, null, true, 0, at, "hola", 1, at);
    }

    protected static Event opened(String tenant, UUID id, UUID session, Instant at) {
        ConversationChanged payload = conversation(tenant, id, session, phone(id), ConversationStatus.OPEN, at);
        return event(EventTypes.CONVERSATION_OPENED, payload, tenant, id, session);
    }

    protected static Event closed(String tenant, UUID id, UUID session) {
        ConversationChanged payload = conversation(tenant, id, session, phone(id), ConversationStatus.CLOSED,
                Instant.now());
        return event(EventTypes.CONVERSATION_CLOSED, payload, tenant, id, session);
    }

    /** message-service opened a closed conversation again: an update whose status is no longer closed. */
    protected static Event reopened(String tenant, UUID id, UUID session) {
        ConversationChanged payload = conversation(tenant, id, session, phone(id), ConversationStatus.OPEN,
                Instant.now());
        return event(EventTypes.CONVERSATION_UPDATED, payload, tenant, id, session);
    }

    protected static Event inboundText(String tenant, UUID id, UUID session, String text) {
        Instant now = Instant.now();
        MessageStored payload = new MessageStored(tenant, id, UUID.randomUUID(), session, "wamid." + UUID.randomUUID(),
                MessageDirection.INBOUND, MessageType.TEXT, DeliveryStatus.DELIVERED, phone(id), text, null, null,
                now, now);
        return event(EventTypes.MESSAGE_STORED, payload, tenant, id, session);
    }

    private static Event event(String type, Object payload, String tenant, UUID id, UUID session) {
        EventMetadata metadata = EventMetadata.of(type, "/message-service", id.toString(), tenant,
                session.toString());
        return new Event(metadata, payload, id.toString());
    }

    protected static String phone(UUID id) {
        return "+54911" + String.format("%08d", Math.abs(id.hashCode()) % 100_000_000);
    }

    /** One record for {@link #produce}. */
    protected record Event(EventMetadata metadata, Object payload, String key) {
    }

    /** Publishes many events at once with a plain producer (asynchronous sends, one flush), as message-service. */
    protected void produce(List<Event> events) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 5))) {
            List<Future<?>> sent = new ArrayList<>();
            for (Event event : events) {
                Message<byte[]> message = codec.encode(event.metadata(), event.payload(), event.key());
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.CRM_CONVERSATION_EVENTS,
                        event.key().getBytes(StandardCharsets.UTF_8), message.getPayload());
                message.getHeaders().forEach((name, value) -> {
                    if (name.startsWith("ce_") && value instanceof String text) {
                        record.headers().add(name, text.getBytes(StandardCharsets.UTF_8));
                    }
                });
                sent.add(producer.send(record));
            }
            producer.flush();
            for (Future<?> future : sent) {
                future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            }
        }
        catch (Exception e) {
            throw new IllegalStateException("Could not produce", e);
        }
    }

    protected void produce(Event... events) {
        produce(List.of(events));
    }

    protected long count(String sql, Object... parameters) {
        return servers.database().queryLong(sql, parameters);
    }

    protected String text(String sql, Object... parameters) {
        return servers.database().queryString(sql, parameters);
    }

    protected String state(UUID conversation) {
        if (count("SELECT count(*) FROM distribution.conversations WHERE conversation_id = ?", conversation) == 0) {
            return null;
        }
        return text("SELECT state || coalesce(':' || agent_id, '') FROM distribution.conversations "
                + "WHERE conversation_id = ?", conversation);
    }

    /** distribution-service's events keyed by the conversation so far (reads for a few seconds). */
    protected static List<ConsumerRecord<String, byte[]>> ownEvents(UUID conversation, int atLeast) {
        return TopicRecords.read(Topics.CRM_CONVERSATION_EVENTS, conversation.toString(), atLeast,
                        Duration.ofSeconds(20)).stream()
                .filter(r -> "/distribution-service".equals(TopicRecords.header(r, "ce_source")))
                .toList();
    }
}
