package dev.conversa.distribution.conversations;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.distribution.engine.ConversationRow;

/** A conversation's routing state: {@code bot}, {@code waiting}, {@code assigned} or {@code closed}. */
record ConversationView(UUID conversationId, UUID sessionId, String state, @Nullable String agentId,
        boolean botEnabled, @Nullable Instant waitingSince, @Nullable String reason, long version) {

    static ConversationView of(ConversationRow row) {
        return new ConversationView(row.conversationId(), row.sessionId(), row.state(), row.agentId(),
                row.botEnabled(), row.waitingSince(), row.lastReason(), row.version());
    }
}
