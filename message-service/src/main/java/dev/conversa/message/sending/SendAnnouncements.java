package dev.conversa.message.sending;

import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.message.conversations.Conversation;
import dev.conversa.message.conversations.MessageView;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * Publishes a pending outbound message: {@code conversa.message.send-requested.v1} on {@code wa.commands} (keyed by
 * session, priority {@code conversational}), then {@code conversa.message.stored.v1} with status {@code pending} on
 * {@code crm.conversation.events} (keyed by conversation). Both event ids derive from the message id, and the
 * command carries the message's idempotency key, so publishing again after a crash or for a repeated request
 * duplicates nothing downstream.
 */
@Component
class SendAnnouncements {

    static final String SOURCE = "/message-service";

    private final EventPublisher publisher;

    SendAnnouncements(EventPublisher publisher) {
        this.publisher = publisher;
    }

    Mono<Void> announce(Conversation conversation, MessageView message, ValidSend send, String idempotencyKey,
            String requestedBy) {
        String sessionId = conversation.sessionId().toString();
        String conversationId = conversation.id().toString();
        SendMessageRequested command = new SendMessageRequested(conversation.tenantId(), conversation.sessionId(),
                message.id(), idempotencyKey, conversationId, conversation.contactPhone(), send.type(), send.text(),
                send.media(), null, send.location(), message.replyToWaMessageId(), SendPriority.CONVERSATIONAL,
                requestedBy, message.createdAt());
        EventMetadata commandMetadata = new EventMetadata(
                Uuids.named("send-requested", message.id().toString()).toString(),
                EventTypes.MESSAGE_SEND_REQUESTED, SOURCE, message.createdAt(), sessionId, conversation.tenantId(),
                sessionId);
        MessageStored stored = new MessageStored(conversation.tenantId(), conversation.id(), message.id(),
                conversation.sessionId(), null, MessageDirection.OUTBOUND, send.type(), DeliveryStatus.PENDING,
                conversation.contactPhone(), send.text(), attachment(send.media()), conversationId,
                message.createdAt(), message.createdAt());
        // the same id scheme as the inbox's announcer: one id per (message, status)
        EventMetadata storedMetadata = new EventMetadata(
                Uuids.named("stored", message.id().toString(), DeliveryStatus.PENDING.value()).toString(),
                EventTypes.MESSAGE_STORED, SOURCE, message.createdAt(), conversationId, conversation.tenantId(),
                sessionId);
        return publisher.publish(Topics.WA_COMMANDS, commandMetadata, command, sessionId)
                .then(publisher.publish(Topics.CRM_CONVERSATION_EVENTS, storedMetadata, stored, conversationId));
    }

    private static MediaAttachment attachment(MediaRef media) {
        return media == null ? null
                : new MediaAttachment(null, media.mimeType(), null, null, media.filename(), media.caption(),
                        media.mediaId());
    }
}
