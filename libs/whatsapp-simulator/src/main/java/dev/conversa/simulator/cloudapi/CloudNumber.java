package dev.conversa.simulator.cloudapi;

import org.jspecify.annotations.Nullable;

/**
 * A registered Cloud API number, normalised: {@code phoneNumber} as digits, defaults filled in.
 */
public record CloudNumber(String phoneNumberId, String phoneNumber, String displayName, String accessToken,
        String appSecret, @Nullable String webhookUrl, @Nullable String verifyToken, String wabaId,
        double messagesPerSecond) {
}
