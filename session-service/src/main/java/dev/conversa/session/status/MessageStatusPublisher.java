package dev.conversa.session.cloudwebhook;

import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * Emits {@code conversa.message.{sent,delivered,read,failed}.v1} on {@code wa.message.status}, keyed by session.
 * The event id is derived from (session, WhatsApp message id, status), so a receipt Meta delivers twice carries the
 * same {@code ce_id} and consumers drop the repeat.
 */
@Component
class StatusPublisher {

    static final String SOURCE = "/session-service";

    private final EventPublisher publisher;

    StatusPublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    Mono<EventMetadata> publish(MessageStatusChanged status) {
        String sessionId = status.sessionId().toString();
        EventMetadata metadata = new EventMetadata(eventId(status), type(status), SOURCE, status.occurredAt(),
                sessionId, status.tenantId(), sessionId);
        return publisher.publish(Topics.WA_MESSAGE_STATUS, metadata, status, sessionId).thenReturn(metadata);
    }

    static String eventId(MessageStatusChanged status) {
        return Uuids.named("status", status.sessionId().toString(), String.valueOf(status.waMessageId()),
                status.status().value()).toString();
    }

    private static String type(MessageStatusChanged status) {
        return switch (status.status()) {
            case SENT -> EventTypes.MESSAGE_SENT;
            case DELIVERED -> EventTypes.MESSAGE_DELIVERED;
            case READ -> EventTypes.MESSAGE_READ;
            case FAILED -> EventTypes.MESSAGE_FAILED;
            case ACCEPTED -> EventTypes.MESSAGE_ACCEPTED;
            case PENDING -> throw new IllegalArgumentException("No event for a pending status");
        };
    }
}
