package dev.conversa.message.conversations;

import java.time.Instant;
import java.util.List;

import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.command.ReadRequested;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * What the conversations API publishes: {@code conversa.conversation.{updated,closed}.v1} on
 * {@code crm.conversation.events} (keyed by conversation) with the whole state after the change, and
 * {@code conversa.message.read-requested.v1} on {@code wa.commands} (keyed by session). Event ids derive from the
 * conversation and its version, so one change is one event id however often it is published.
 */
@Component
class ConversationEvents {

    static final String SOURCE = "/message-service";

    private final EventPublisher publisher;

    ConversationEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    Mono<Void> changed(Conversation conversation, String type) {
        String conversationId = conversation.id().toString();
        Instant now = Instant.now();
        ConversationChanged event = new ConversationChanged(conversation.tenantId(), conversation.id(),
                conversation.sessionId(), conversation.contactPhone(), conversation.contactName(),
                conversation.status(), conversation.assignedAgentId(), conversation.botEnabled(),
                conversation.unreadCount(), conversation.lastMessageAt(), conversation.lastMessagePreview(),
                conversation.version(), conversation.updatedAt());
        EventMetadata metadata = new EventMetadata(
                Uuids.named("conversation", conversationId, Long.toString(conversation.version())).toString(),
                type, SOURCE, now, conversationId, conversation.tenantId(), conversation.sessionId().toString());
        return publisher.publish(Topics.CRM_CONVERSATION_EVENTS, metadata, event, conversationId);
    }

    /** Asks the session's owner to send read receipts for {@code waMessageIds}. */
    Mono<Void> readRequested(Conversation conversation, List<String> waMessageIds, String requestedBy) {
        String sessionId = conversation.sessionId().toString();
        Instant now = conversation.updatedAt();
        ReadRequested command = new ReadRequested(conversation.tenantId(), conversation.sessionId(),
                conversation.contactPhone(), waMessageIds, requestedBy, now);
        EventMetadata metadata = new EventMetadata(
                Uuids.named("read-requested", conversation.id().toString(), Long.toString(conversation.version()))
                        .toString(),
                EventTypes.MESSAGE_READ_REQUESTED, SOURCE, now, sessionId, conversation.tenantId(), sessionId);
        return publisher.publish(Topics.WA_COMMANDS, metadata, command, sessionId);
    }
}
