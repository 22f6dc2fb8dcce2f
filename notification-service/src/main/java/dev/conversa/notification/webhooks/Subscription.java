package dev.conversa.notification.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** A stored webhook subscription; {@code secretEncrypted} never leaves the service. */
record Subscription(UUID id, String tenantId, String url, List<String> eventTypes, byte[] secretEncrypted,
        boolean active, int consecutiveFailures, @Nullable Instant disabledAt, @Nullable String disabledReason,
        Instant createdAt, Instant updatedAt) {
}
