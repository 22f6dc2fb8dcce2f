package dev.conversa.messaging;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.CloudEventHeaders;
import dev.conversa.events.cloudevents.EventMetadata;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes CloudEvents to a topic and completes once the broker has them.
 *
 * <p>{@link #publish} sends one record through {@link StreamBridge}: producers bind with {@code sync: true}, so
 * {@link StreamBridge#send} blocks until the broker acknowledges; that runs on {@code boundedElastic}, never on an
 * event-loop thread.
 *
 * <p>{@link #publishAll} sends a whole list through one {@link KafkaTemplate} without waiting record by record: the
 * records are handed to the producer one after another (on {@code boundedElastic}, since a Kafka producer may block
 * for metadata or buffer space), so records of one key keep their order (idempotent producer), and the returned
 * {@code Mono} completes when the broker acknowledged every one of them. With
 * {@code conversa.messaging.publish-all-observations} off they go straight to the template's producer, with one
 * callback counting the acknowledgements, instead of through {@link KafkaTemplate#send} (a future, a listener call
 * and observation bookkeeping per record). The records carry exactly what
 * {@link #publish} gives a record ({@link CloudEventCodec} headers as the binder's header mapper writes them, with
 * its {@code spring_json_header_types}, and the key bytes), built directly instead of through a Spring
 * {@code Message} and the header mapper, which cost more than the send itself.
 */
public class EventPublisher {

    private static final String MESSAGE_TYPE_HEADER = "message-type";
    private static final String CLOUD_EVENT_MESSAGE_TYPE = "cloudevent";
    /** What the binder's header mapper adds: the Java type of every mapped header (all strings here). */
    private static final String JSON_TYPES_HEADER = "spring_json_header_types";
    private static final byte[] JSON_TYPES = jsonTypes(false);
    private static final byte[] JSON_TYPES_WITH_SESSION = jsonTypes(true);

    private final StreamBridge bridge;
    private final CloudEventCodec codec;
    private final MessagingProperties properties;
    private final @Nullable KafkaTemplate<byte[], byte[]> template;

    public EventPublisher(StreamBridge bridge, CloudEventCodec codec, MessagingProperties properties) {
        this(bridge, codec, properties, null);
    }

    public EventPublisher(StreamBridge bridge, CloudEventCodec codec, MessagingProperties properties,
            @Nullable KafkaTemplate<byte[], byte[]> template) {
        this.bridge = bridge;
        this.codec = codec;
        this.properties = properties;
        this.template = template;
    }

    /**
     * @param topic    destination topic (see {@code dev.conversa.events.Topics})
     * @param metadata the CloudEvents attributes
     * @param payload  the event record
     * @param key      the record key: sessionId, conversationId or campaignId as the topic requires
     */
    public Mono<Void> publish(String topic, EventMetadata metadata, Object payload, String key) {
        return Mono.fromCallable(() -> codec.encode(metadata, payload, key))
                .flatMap(message -> send(topic, message));
    }

    /**
     * Publishes every event to {@code topic}, in list order, and completes when the broker acknowledged all of
     * them (or fails with the first failure; the caller may publish the whole list again, consumers drop copies by
     * {@code ce_id}). Without a {@link KafkaTemplate} it falls back to {@link #publish}, one record after another.
     */
    public Mono<Void> publishAll(String topic, List<OutgoingEvent> events) {
        if (events.isEmpty()) {
            return Mono.empty();
        }
        KafkaTemplate<byte[], byte[]> kafka = this.template;
        if (kafka == null) {
            return Flux.fromIterable(events)
                    .concatMap(event -> publish(topic, event.metadata(), event.payload(), event.key()))
                    .then();
        }
        if (properties.publishAllObservations()) {
            return Mono.fromCallable(() -> {
                        CompletableFuture<?>[] sent = new CompletableFuture<?>[events.size()];
                        for (int i = 0; i < sent.length; i++) {
                            sent[i] = kafka.send(record(topic, events.get(i)));
                        }
                        return CompletableFuture.allOf(sent);
                    })
                    .subscribeOn(Schedulers.boundedElastic())
                    .flatMap(Mono::fromFuture)
                    .timeout(properties.publishTimeout())
                    .then();
        }
        return Mono.<Void>create(sink -> {
                    AllAcknowledged acknowledged = new AllAcknowledged(events.size(), sink);
                    kafka.execute(producer -> {
                        for (OutgoingEvent event : events) {
                            producer.send(record(topic, event), acknowledged);
                        }
                        return null;
                    });
                })
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(properties.publishTimeout());
    }

    /** Completes a publish when the broker acknowledged each of its records, or fails it with the first failure. */
    private static final class AllAcknowledged implements Callback {

        private final AtomicInteger outstanding;
        private final MonoSink<Void> sink;

        AllAcknowledged(int records, MonoSink<Void> sink) {
            this.outstanding = new AtomicInteger(records);
            this.sink = sink;
        }

        @Override
        public void onCompletion(@Nullable RecordMetadata metadata, @Nullable Exception error) {
            if (error != null) {
                // the first failure ends the publish (later calls to the sink are ignored)
                outstanding.set(-1);
                sink.error(error);
            }
            else if (outstanding.decrementAndGet() == 0) {
                sink.success();
            }
        }
    }

    /** The Kafka record {@link #publishAll} sends for an event. */
    ProducerRecord<byte[], byte[]> record(String topic, OutgoingEvent event) {
        EventMetadata metadata = event.metadata();
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        header(headers, CloudEventHeaders.ID, metadata.id());
        header(headers, CloudEventHeaders.TYPE, metadata.type());
        header(headers, CloudEventHeaders.SOURCE, metadata.source());
        header(headers, CloudEventHeaders.TIME, metadata.time().toString());
        header(headers, CloudEventHeaders.SUBJECT, metadata.subject());
        header(headers, CloudEventHeaders.TENANT_ID, metadata.tenantId());
        if (metadata.sessionId() != null) {
            header(headers, CloudEventHeaders.SESSION_ID, metadata.sessionId());
        }
        header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        header(headers, MessageHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        // what Spring Cloud Function adds to a CloudEvent on its way through StreamBridge
        header(headers, MESSAGE_TYPE_HEADER, CLOUD_EVENT_MESSAGE_TYPE);
        headers.add(JSON_TYPES_HEADER, metadata.sessionId() != null ? JSON_TYPES_WITH_SESSION : JSON_TYPES);
        return new ProducerRecord<>(topic, null, null, event.key().getBytes(StandardCharsets.UTF_8),
                codec.body(metadata, event.payload()), headers);
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] jsonTypes(boolean withSession) {
        Map<String, String> types = new LinkedHashMap<>();
        for (String name : List.of(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.ID, CloudEventHeaders.TYPE,
                CloudEventHeaders.SOURCE, CloudEventHeaders.TIME, CloudEventHeaders.SUBJECT,
                CloudEventHeaders.TENANT_ID, CloudEventHeaders.CONTENT_TYPE, MessageHeaders.CONTENT_TYPE,
                MESSAGE_TYPE_HEADER)) {
            types.put(name, String.class.getName());
        }
        if (withSession) {
            types.put(CloudEventHeaders.SESSION_ID, String.class.getName());
        }
        StringBuilder json = new StringBuilder("{");
        types.forEach((name, type) -> json.append(json.length() > 1 ? "," : "").append('"').append(name)
                .append("\":\"").append(type).append('"'));
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Sends an already encoded message, e.g. a dead letter. */
    public Mono<Void> send(String topic, Message<?> message) {
        return Mono.fromCallable(() -> bridge.send(topic, message))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(properties.publishTimeout())
                .flatMap(sent -> sent ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("Broker did not accept a record for " + topic)));
    }
}
