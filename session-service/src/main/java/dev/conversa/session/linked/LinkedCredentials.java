package dev.conversa.session.linked;

import java.util.Objects;

/**
 * What a paired linked device logs in with, as the server gave it in {@code pair-success}. The secret is as good as
 * the phone's consent: keep it encrypted at rest (auth state) and never print it; {@link #toString()} hides it.
 *
 * @param deviceId the device's id on the server ({@code dev-…})
 * @param secret   the device's secret
 */
public record LinkedCredentials(String deviceId, String secret) {

    public LinkedCredentials {
        if (deviceId == null || deviceId.isBlank()) {
            throw new IllegalArgumentException("deviceId must not be blank");
        }
        if (secret == null || secret.isBlank()) {
            throw new IllegalArgumentException("secret must not be blank");
        }
    }

    @Override
    public String toString() {
        return "LinkedCredentials[deviceId=" + deviceId + ", secret=<hidden>]";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LinkedCredentials that && deviceId.equals(that.deviceId)
                && secret.equals(that.secret);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceId, secret);
    }
}
