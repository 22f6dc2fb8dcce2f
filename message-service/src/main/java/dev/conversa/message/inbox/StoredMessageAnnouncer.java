package dev.conversa.message.inbox;

import java.time.Instant;

import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * Publishes {@code conversa.message.stored.v1} on {@code crm.conversation.events}, keyed by conversation. The event
 * id is derived from (message, status): announcing the same state twice yields the same {@code ce_id}.
 */
@Component
class StoredMessageAnnouncer {

    static final String SOURCE = "/message-service";

    private final EventPublisher publisher;

    StoredMessageAnnouncer(EventPublisher publisher) {
        this.publisher = publisher;
    }

    Mono<Void> announce(MessageReceived message, StoredMessage stored) {
        DeliveryStatus status = DeliveryStatus.DELIVERED;
        MessageStored event = new MessageStored(message.tenantId(), stored.conversationId(), stored.messageId(),
                message.sessionId(), message.waMessageId(), MessageDirection.INBOUND, message.type(), status,
                message.from(), message.text(), message.media(), null, message.timestamp(), stored.storedAt());
        String conversationId = stored.conversationId().toString();
        EventMetadata metadata = new EventMetadata(
                Uuids.named("stored", stored.messageId().toString(), status.value()).toString(),
                EventTypes.MESSAGE_STORED, SOURCE, Instant.now(), conversationId, message.tenantId(),
                message.sessionId().toString());
        return publisher.publish(Topics.CRM_CONVERSATION_EVENTS, metadata, event, conversationId);
    }
}
