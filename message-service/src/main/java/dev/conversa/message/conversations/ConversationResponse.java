package dev.conversa.message.conversations;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.conversation.ConversationStatus;

/**
 * A conversation as the API shows it. {@code version} is also the {@code ETag}: send it back in {@code If-Match}
 * to change the conversation.
 */
record ConversationResponse(
        UUID id,
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
        Instant createdAt,
        Instant updatedAt) {

    static ConversationResponse of(Conversation c) {
        return new ConversationResponse(c.id(), c.sessionId(), c.contactPhone(), c.contactName(), c.status(),
                c.assignedAgentId(), c.botEnabled(), c.unreadCount(), c.lastMessageAt(), c.lastMessagePreview(),
                c.version(), c.createdAt(), c.updatedAt());
    }
}
