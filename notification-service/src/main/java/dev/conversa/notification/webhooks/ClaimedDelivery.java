package dev.conversa.notification.webhooks;

import java.time.Instant;
import java.util.UUID;

/** A delivery this instance claimed, with what it needs to make the attempt. */
record ClaimedDelivery(UUID id, UUID subscriptionId, String tenantId, String eventId, String body, int attempts,
        Instant retryFrom, String url, byte[] secretEncrypted, UUID claimToken) {
}
