package dev.conversa.session.sessions;

import java.util.Objects;

/**
 * The secrets of a Cloud API session, stored encrypted as one JSON blob in its auth state by
 * {@link CloudApiCredentialsStore}: the Graph API access token, the app secret that signs webhooks
 * ({@code X-Hub-Signature-256}) and the verify token of the webhook handshake. {@link #toString()} shows none of them.
 */
public record CloudApiCredentials(String accessToken, String appSecret, String verifyToken) {

    public CloudApiCredentials {
        Objects.requireNonNull(accessToken, "accessToken");
        Objects.requireNonNull(appSecret, "appSecret");
        Objects.requireNonNull(verifyToken, "verifyToken");
    }

    @Override
    public String toString() {
        return "CloudApiCredentials[accessToken=***, appSecret=***, verifyToken=***]";
    }
}
