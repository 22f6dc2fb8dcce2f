package dev.conversa.message.inbox;

import java.time.Instant;
import java.util.UUID;

/** A message row as the recorder left it, and whether this delivery created it. */
record StoredMessage(UUID messageId, UUID conversationId, Instant storedAt, boolean created) {
}
