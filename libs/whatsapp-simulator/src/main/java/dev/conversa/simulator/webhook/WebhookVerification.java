package dev.conversa.simulator.webhook;

import org.jspecify.annotations.Nullable;

/**
 * The outcome of Meta's verification request {@code GET <url>?hub.mode=subscribe&hub.challenge=…&hub.verify_token=…}.
 *
 * @param verified whether the receiver answered 2xx with exactly the challenge as body
 * @param status   the receiver's HTTP status; null when it could not be reached
 * @param echoed   the body it answered (first 256 characters)
 * @param error    why it could not be reached
 */
public record WebhookVerification(String url, boolean verified, @Nullable Integer status, String challenge,
        @Nullable String echoed, @Nullable String error) {
}
