package dev.conversa.notification.webhooks;

import java.util.List;

import org.jspecify.annotations.Nullable;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST /api/v1/webhooks} and {@code PUT /api/v1/webhooks/{id}}.
 *
 * @param url        where events are POSTed: an absolute {@code https} (or {@code http}) URL
 * @param eventTypes CloudEvents types, or prefixes ending in {@code *}; {@code ["*"]} is every event
 * @param secret     optional: the signing secret to use (16–256 characters); the service generates one when absent
 *                   on create, and keeps the current one when absent on update
 * @param active     on update: false pauses deliveries, true resumes them (and clears the failure count)
 */
record WebhookRequest(
        @NotBlank @Size(max = 2048) @Pattern(regexp = "^(?i)https?://[^\\s/?#@]+([/?][^\\s]*)?$",
                message = "must be an absolute http or https URL without credentials") String url,
        @NotEmpty @Size(max = 50) List<@Pattern(regexp = EventFilter.ENTRY_PATTERN,
                message = "must be a CloudEvents type or a prefix ending in *") String> eventTypes,
        @Nullable @Size(min = 16, max = 256) String secret,
        @Nullable Boolean active) {
}
