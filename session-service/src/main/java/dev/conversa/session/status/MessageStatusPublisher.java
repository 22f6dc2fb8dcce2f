package dev.conversa.session.status;

import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * Emits {@code conversa.message.{accepted,sent,delivered,read,failed}.v1} on {@code wa.message.status}, keyed by
 * session, for the linked transport, the Cloud API webhooks and the outbound queue alike. The event id is derived
 * from (session, WhatsApp message id or idempotency key, status), so a receipt delivered twice — by Meta, by a
 * linked device's redelivery, or by a retry after a crash — carries the same {@code ce_id} and consumers drop the
 * repeat.
 */
@Component
public class MessageStatusPublisher {

    static final String SOURCE = "/session-service";

    private final EventPublisher publisher;

    MessageStatusPublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public Mono<EventMetadata> publish(MessageStatusChanged status) {
        String sessionId = status.sessionId().toString();
        EventMetadata metadata = new EventMetadata(eventId(status), type(status), SOURCE, status.occurredAt(),
                sessionId, status.tenantId(), sessionId);
        return publisher.publish(Topics.WA_MESSAGE_STATUS, metadata, status, sessionId).thenReturn(metadata);
    }

    public static String eventId(MessageStatusChanged status) {
        String message = status.waMessageId() != null ? status.waMessageId()
                : "key:" + status.idempotencyKey();
        return Uuids.named("status", status.sessionId().toString(), message, status.status().value()).toString();
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
