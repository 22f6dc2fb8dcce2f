package dev.conversa.session.runtime;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.session.SessionHealth;
import dev.conversa.events.session.SessionPairingCode;
import dev.conversa.events.session.SessionQrUpdated;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * The {@code wa.session.events} that are not status changes: a new QR ref, a pairing code, a health check. Ids are
 * derived from the occurrence (the ref, the code, the check's time), so a repeat is dropped downstream.
 */
@Component
public class SessionSignals {

    static final String SOURCE = "/session-service";

    private final EventPublisher publisher;

    SessionSignals(EventPublisher publisher) {
        this.publisher = publisher;
    }

    Mono<Void> qrUpdated(String tenantId, UUID sessionId, String ref, int attempt, Instant expiresAt) {
        return publish(EventTypes.SESSION_QR_UPDATED, tenantId, sessionId,
                Uuids.named("session-qr", sessionId.toString(), ref),
                new SessionQrUpdated(tenantId, sessionId, ref, attempt, expiresAt));
    }

    Mono<Void> pairingCode(String tenantId, UUID sessionId, String phoneNumber, String code, Instant expiresAt) {
        return publish(EventTypes.SESSION_PAIRING_CODE, tenantId, sessionId,
                Uuids.named("session-pairing-code", sessionId.toString(), code),
                new SessionPairingCode(tenantId, sessionId, phoneNumber, code, expiresAt));
    }

    public Mono<Void> health(String tenantId, UUID sessionId, SessionStatus status, boolean healthy,
            @Nullable Long latencyMillis, Instant checkedAt) {
        return publish(EventTypes.SESSION_HEALTH, tenantId, sessionId,
                Uuids.named("session-health", sessionId.toString(), checkedAt.toString()),
                new SessionHealth(tenantId, sessionId, status, healthy, latencyMillis, checkedAt));
    }

    private Mono<Void> publish(String type, String tenantId, UUID sessionId, UUID eventId, Object payload) {
        String key = sessionId.toString();
        EventMetadata metadata = EventMetadata.of(type, SOURCE, key, tenantId, key).withId(eventId.toString());
        return publisher.publish(Topics.WA_SESSION_EVENTS, metadata, payload, key).then();
    }
}
