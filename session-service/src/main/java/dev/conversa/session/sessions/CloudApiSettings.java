package dev.conversa.session.sessions;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The {@code cloudApi} block of a create request: Meta's phone-number id and the three secrets, which go straight
 * to the encrypted auth state. {@link #toString()} hides the secrets, so the request can never leak them to a log.
 */
record CloudApiSettings(
        @NotBlank @Size(max = 64) @Pattern(regexp = "^[A-Za-z0-9_.-]+$", message = "must be Meta's phone-number id")
        String phoneNumberId,
        @NotBlank @Size(max = 4096) String accessToken,
        @NotBlank @Size(max = 512) String appSecret,
        @NotBlank @Size(max = 512) String verifyToken) {

    CloudApiCredentials credentials() {
        return new CloudApiCredentials(accessToken, appSecret, verifyToken);
    }

    @Override
    public String toString() {
        return "CloudApiSettings[phoneNumberId=" + phoneNumberId + ", accessToken=***, appSecret=***, verifyToken=***]";
    }
}
