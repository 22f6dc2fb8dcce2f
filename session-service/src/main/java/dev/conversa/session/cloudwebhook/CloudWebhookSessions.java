package dev.conversa.session.cloudwebhook;

import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.conversa.session.sessions.CloudApiCredentialsStore;
import reactor.core.publisher.Mono;

/**
 * Finds the Cloud API session of a Meta phone-number id (unique in {@code session.sessions}, see V3) and loads its
 * credentials from the encrypted auth state. Empty when no Cloud API session has that number or it has no
 * credentials (wiped).
 */
@Component
class CloudWebhookSessions {

    private final DatabaseClient db;
    private final CloudApiCredentialsStore credentials;

    CloudWebhookSessions(DatabaseClient db, CloudApiCredentialsStore credentials) {
        this.db = db;
        this.credentials = credentials;
    }

    Mono<WebhookSession> byPhoneNumberId(String phoneNumberId) {
        return db.sql("SELECT id, tenant_id FROM session.sessions"
                        + " WHERE cloud_phone_number_id = :phoneNumberId AND transport = 'cloud-api'")
                .bind("phoneNumberId", phoneNumberId)
                .map(row -> new Row(row.get("id", UUID.class), row.get("tenant_id", String.class)))
                .one()
                .flatMap(row -> credentials.load(row.id())
                        .map(loaded -> new WebhookSession(row.id(), row.tenantId(), loaded)));
    }

    private record Row(UUID id, String tenantId) {
    }
}
