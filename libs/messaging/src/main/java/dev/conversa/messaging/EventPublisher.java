package dev.conversa.messaging;

import org.springframework.cloud.stream.function.StreamBridge;
import org.springframework.messaging.Message;

import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventMetadata;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Publishes a CloudEvent to a topic and completes once the broker has it. Producers bind with
 * {@code sync: true}, so {@link StreamBridge#send} blocks until the broker acknowledges: that runs on
 * {@code boundedElastic}, never on an event-loop thread.
 */
public class EventPublisher {

    private final StreamBridge bridge;
    private final CloudEventCodec codec;
    private final MessagingProperties properties;

    public EventPublisher(StreamBridge bridge, CloudEventCodec codec, MessagingProperties properties) {
        this.bridge = bridge;
        this.codec = codec;
        this.properties = properties;
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

    /** Sends an already encoded message, e.g. a dead letter. */
    public Mono<Void> send(String topic, Message<?> message) {
        return Mono.fromCallable(() -> bridge.send(topic, message))
                .subscribeOn(Schedulers.boundedElastic())
                .timeout(properties.publishTimeout())
                .flatMap(sent -> sent ? Mono.<Void>empty()
                        : Mono.error(new IllegalStateException("Broker did not accept a record for " + topic)));
    }
}
