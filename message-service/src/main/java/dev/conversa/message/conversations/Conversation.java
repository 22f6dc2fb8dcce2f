package dev.conversa.message.conversations;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.conversation.ConversationStatus;

/** A row of {@code message.conversations}, as the API and the sending package read it. */
public record Conversation(
        UUID id,
        String tenantId,
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
}
