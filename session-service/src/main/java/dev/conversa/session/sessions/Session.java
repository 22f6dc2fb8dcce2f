package dev.conversa.session.sessions;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;

/**
 * A stored session as the service sees it (one row of {@code session.sessions}); never an API body. Credentials are
 * not part of it: they live encrypted in the auth state ({@link CloudApiCredentialsStore} for Cloud API sessions).
 *
 * @param cloudPhoneNumberId Meta's phone-number id of a {@code cloud-api} session; null for linked sessions
 * @param deviceMetadata     what the linked device reported about itself, as JSON text; null until it did
 * @param version            bumped by every status change and attempts reset (optimistic locking)
 */
public record Session(
        UUID id,
        String tenantId,
        String name,
        SessionTransport transport,
        SessionStatus status,
        @Nullable String phoneNumber,
        @Nullable String cloudPhoneNumberId,
        int connectionAttempts,
        @Nullable Integer lastDisconnectReasonCode,
        @Nullable String lastDisconnectReason,
        @Nullable Instant lastDisconnectAt,
        long messagesSent,
        long messagesReceived,
        long chats,
        @Nullable Instant lastActivityAt,
        @Nullable Instant lastHealthCheckAt,
        @Nullable Instant lastConnectedAt,
        @Nullable String deviceMetadata,
        Instant createdAt,
        Instant updatedAt,
        long version) {
}
