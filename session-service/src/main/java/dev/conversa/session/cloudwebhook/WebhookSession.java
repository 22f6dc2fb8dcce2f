package dev.conversa.session.cloudwebhook;

import java.util.UUID;

import dev.conversa.session.sessions.CloudApiCredentials;

/** The Cloud API session a webhook is addressed to, with its secrets; {@link #toString()} shows none of them. */
record WebhookSession(UUID id, String tenantId, CloudApiCredentials credentials) {

    @Override
    public String toString() {
        return "WebhookSession[id=" + id + ", tenantId=" + tenantId + "]";
    }
}
