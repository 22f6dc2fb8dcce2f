package dev.conversa.session.sessions;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;

/**
 * A session as the API shows it. Never carries credentials: a Cloud API session shows only its phone-number id.
 *
 * @param cloudApi       the Cloud API number, for {@code cloud-api} sessions
 * @param lastDisconnect the last time the connection ended, and why; null until it first did
 * @param device         what the linked device reported about itself; null until it did
 */
record SessionResponse(
        UUID id,
        String name,
        SessionTransport transport,
        SessionStatus status,
        @Nullable String phoneNumber,
        @Nullable CloudApiNumber cloudApi,
        int connectionAttempts,
        @Nullable LastDisconnect lastDisconnect,
        long messagesSent,
        long messagesReceived,
        long chats,
        @Nullable Instant lastActivityAt,
        @Nullable Instant lastConnectedAt,
        @Nullable Instant lastHealthCheckAt,
        @Nullable Map<String, Object> device,
        Instant createdAt,
        Instant updatedAt) {

    record CloudApiNumber(String phoneNumberId) {
    }

    record LastDisconnect(@Nullable Integer code, @Nullable String reason, Instant at) {
    }
}
