package dev.conversa.events.conversation;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Payload of {@code conversa.conversation.{assigned,unassigned,escalated,returned-to-bot}.v1}: who handles a
 * conversation changed, between agents and the bot.
 *
 * @param tenantId        the tenant
 * @param conversationId  the conversation; also the record key
 * @param sessionId       the session of the conversation
 * @param agentId         the agent now handling it; absent when nobody is (unassigned, returned to bot, or
 *                        escalated into the waiting queue)
 * @param previousAgentId the agent who handled it before, if any
 * @param reason          why, e.g. {@code round-robin}, {@code agent-offline}, {@code customer-asked-for-human}
 * @param botEnabled      whether the bot answers it from now on
 * @param occurredAt      when it happened
 */
public record ConversationAssignment(
        String tenantId,
        UUID conversationId,
        UUID sessionId,
        @Nullable String agentId,
        @Nullable String previousAgentId,
        @Nullable String reason,
        boolean botEnabled,
        Instant occurredAt) {

    public ConversationAssignment {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(conversationId, "conversationId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
