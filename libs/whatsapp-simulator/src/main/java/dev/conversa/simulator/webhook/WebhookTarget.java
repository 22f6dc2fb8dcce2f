package dev.conversa.simulator.webhook;

import org.jspecify.annotations.Nullable;

/**
 * Where a Cloud API number's webhooks go and what identifies it in them.
 *
 * @param url                the receiver; null: events are counted as discarded
 * @param appSecret          key of the {@code X-Hub-Signature-256} HMAC
 * @param wabaId             {@code entry[].id}
 * @param phoneNumberId      {@code metadata.phone_number_id}
 * @param displayPhoneNumber {@code metadata.display_phone_number} (digits)
 */
public record WebhookTarget(@Nullable String url, String appSecret, String wabaId, String phoneNumberId,
        String displayPhoneNumber) {
}
