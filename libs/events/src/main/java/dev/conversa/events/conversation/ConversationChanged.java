package dev.conversa.events.conversation;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Payload of {@code conversa.conversation.{opened,updated,closed}.v1}: the state of a conversation after a change,
 * whole, so a consumer can keep a copy without reading the inbox. {@code version} grows with every change: ignore
 * an event whose version is not above the one you hold.
 *
 * @param tenantId           the tenant
 * @param conversationId     the conversation; also the record key
 * @param sessionId          the session (our WhatsApp number) of the conversation
 * @param contactPhone       the contact, E.164
 * @param contactName        the contact's name, when known
 * @param status             the conversation's status
 * @param assignedAgentId    the agent handling it (the agent's user id), if any
 * @param botEnabled         whether the bot answers it
 * @param unreadCount        inbound messages no agent has read
 * @param lastMessageAt      when its last message was sent or received
 * @param lastMessagePreview the start of its last message (for inbox lists)
 * @param version            increases with every change of the conversation
 * @param occurredAt         when the change happened
 */
public record ConversationChanged(
        String tenantId,
        UUID conversationId,
        UUID sessionId,
        String contactPhone,
        @Nullable String contactName,
        ConversationStatus status,
        @Nullable String assignedAgentId,
        boolean botEnabled,
        int unreadCount,
        @Nullable Instant lastMessageAt,
        @Nullable String lastMessagePreview,
        long version,
        Instant occurredAt) {

    public ConversationChanged {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(contactPhone, "contactPhone");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
