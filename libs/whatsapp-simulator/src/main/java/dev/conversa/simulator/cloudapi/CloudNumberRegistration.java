package dev.conversa.simulator.cloudapi;

import org.jspecify.annotations.Nullable;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;

/**
 * A Cloud API number as a test or the local stack registers it ({@code POST /sim/cloud/numbers}, or
 * {@code simulator.cloud-api.numbers[i].*}).
 *
 * @param phoneNumberId     Meta's id of the number, the path segment of {@code /{version}/{phone-number-id}/messages}
 * @param phoneNumber       the number itself ({@code +E.164} or digits); inbound messages to it go to this webhook
 * @param displayName       the verified name; default the number
 * @param accessToken       the bearer token sends must carry
 * @param appSecret         the key of the webhook signature
 * @param webhookUrl        where webhooks go; none: events are counted as discarded
 * @param verifyToken       what Meta's verification GET sends as {@code hub.verify_token}
 * @param wabaId            the WhatsApp Business Account id ({@code entry[].id}); default a random one
 * @param messagesPerSecond this number's throughput; default {@code simulator.cloud-api.messages-per-second}
 */
public record CloudNumberRegistration(
        @NotBlank @Pattern(regexp = "[A-Za-z0-9_-]{1,64}") String phoneNumberId,
        @NotBlank String phoneNumber,
        @Nullable String displayName,
        @NotBlank String accessToken,
        @NotBlank String appSecret,
        @Nullable @Pattern(regexp = "https?://.+") String webhookUrl,
        @Nullable String verifyToken,
        @Nullable @Pattern(regexp = "[0-9]{1,32}") String wabaId,
        @Nullable @Positive Double messagesPerSecond) {
}
