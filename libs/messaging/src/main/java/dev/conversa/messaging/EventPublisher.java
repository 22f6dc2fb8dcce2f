package dev.conversa.messaging;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.jspecify.annotations.Nullable;
import org.springframework.cloud.stream.binder.kafka.common.BinderHeaderMapper;
import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.converter.MessagingMessageConverter;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventMetadata;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
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
 * {@code Mono} completes when the broker acknowledged every one of them. The records are encoded exactly as
 * {@link #publish} encodes them: {@link CloudEventCodec} headers, mapped by the binder's header mapper, key bytes.
 */
public class EventPublisher {

    private static final String MESSAGE_TYPE_HEADER = "message-type";
    private static final String CLOUD_EVENT_MESSAGE_TYPE = "cloudevent";

    private final StreamBridge bridge;
    private final CloudEventCodec codec;
    private final MessagingProperties properties;
    private final @Nullable KafkaTemplate<byte[], byte[]> template;
    private final MessagingMessageConverter converter;

    public EventPublisher(StreamBridge bridge, CloudEventCodec codec, MessagingProperties properties) {
        this(bridge, codec, properties, null);
    }

    public EventPublisher(StreamBridge bridge, CloudEventCodec codec, MessagingProperties properties,
            @Nullable KafkaTemplate<byte[], byte[]> template) {
        this.bridge = bridge;
        this.codec = codec;
        this.properties = properties;
        this.template = template;
        this.converter = new MessagingMessageConverter();
        this.converter.setHeaderMapper(new BinderHeaderMapper());
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

    /** The Kafka record {@link #publishAll} sends for an event. */
    @SuppressWarnings("unchecked")
    ProducerRecord<byte[], byte[]> record(String topic, OutgoingEvent event) {
        Message<byte[]> encoded = codec.encode(event.metadata(), event.payload(), event.key());
        // what Spring Cloud Function adds to a CloudEvent on its way through StreamBridge
        Message<byte[]> message = MessageBuilder.fromMessage(encoded)
                .setHeader(MESSAGE_TYPE_HEADER, CLOUD_EVENT_MESSAGE_TYPE)
                .build();
        return (ProducerRecord<byte[], byte[]>) converter.fromMessage(message, topic);
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
