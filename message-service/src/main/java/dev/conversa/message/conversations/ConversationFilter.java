package dev.conversa.message.conversations;

import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.conversation.ConversationStatus;

/**
 * Filters of {@code GET /api/v1/conversations}; each one given narrows the listing.
 *
 * @param statuses   any of these statuses; empty means every status
 * @param assignee   the agent's user id
 * @param unassigned only conversations nobody is assigned to
 * @param sessionId  only this session's conversations
 * @param unread     true: with unread messages; false: without
 * @param text       a fragment of the contact's name or phone, or of the last message's preview
 */
record ConversationFilter(Set<ConversationStatus> statuses, @Nullable String assignee, boolean unassigned,
        @Nullable UUID sessionId, @Nullable Boolean unread, @Nullable String text) {
}
