package dev.conversa.messaging;

import java.util.Objects;

import dev.conversa.events.cloudevents.EventMetadata;

/**
 * One event of a {@link EventPublisher#publishAll batch publish}.
 *
 * @param metadata the CloudEvents attributes
 * @param payload  the event record
 * @param key      the record key: sessionId, conversationId or campaignId as the topic requires
 */
public record OutgoingEvent(EventMetadata metadata, Object payload, String key) {

    public OutgoingEvent {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(key, "key");
    }
}
