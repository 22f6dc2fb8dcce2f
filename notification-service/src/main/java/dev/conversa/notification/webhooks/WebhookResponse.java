package dev.conversa.notification.webhooks;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A subscription as the API shows it. {@code secret} is present only in the answer to its creation (and to an
 * update that set a new one): it is stored encrypted and never shown again.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record WebhookResponse(UUID id, String url, List<String> eventTypes, boolean active, int consecutiveFailures,
        @Nullable Instant disabledAt, @Nullable String disabledReason, Instant createdAt, Instant updatedAt,
        @Nullable String secret) {

    static WebhookResponse of(Subscription subscription, @Nullable String secret) {
        return new WebhookResponse(subscription.id(), subscription.url(), subscription.eventTypes(),
                subscription.active(), subscription.consecutiveFailures(), subscription.disabledAt(),
                subscription.disabledReason(), subscription.createdAt(), subscription.updatedAt(), secret);
    }
}
