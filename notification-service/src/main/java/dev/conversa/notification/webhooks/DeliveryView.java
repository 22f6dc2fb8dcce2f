package dev.conversa.notification.webhooks;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * One delivery of one event to one subscription, as {@code GET /api/v1/webhooks/{id}/deliveries} shows it.
 *
 * @param status         {@code pending} (waiting for its next attempt), {@code delivered} or {@code failed}
 * @param lastStatusCode the receiver's last HTTP status, absent after a network error
 * @param lastError      why the last attempt failed
 */
record DeliveryView(UUID id, String eventId, String eventType, String status, int attempts,
        @Nullable Integer lastStatusCode, @Nullable String lastError, @Nullable Instant lastAttemptAt,
        @Nullable Instant nextAttemptAt, @Nullable Instant deliveredAt, Instant createdAt) {
}
