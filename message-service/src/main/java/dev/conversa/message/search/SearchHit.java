package dev.conversa.message.search;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One message found by a search, with its conversation's contact, best match first.
 *
 * @param rank how well it matches ({@code ts_rank} over the Spanish and English stems); higher is better
 */
record SearchHit(
        UUID messageId,
        UUID conversationId,
        UUID sessionId,
        String contactPhone,
        @Nullable String contactName,
        String direction,
        String type,
        String status,
        @Nullable String text,
        Instant timestamp,
        float rank) {
}
