package dev.conversa.session.sessions;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * Publishes a session's lifecycle on {@code wa.session.events}, keyed by session id, with {@link SessionStateChanged}
 * payloads. Event ids are derived from the occurrence (creation; the version a transition wrote; deletion), so
 * publishing the same occurrence again repeats its {@code ce_id} and consumers drop the repeat.
 */
@Component
class SessionEvents {

    static final String SOURCE = "/session-service";
    private static final Logger log = LoggerFactory.getLogger(SessionEvents.class);

    private final EventPublisher publisher;

    SessionEvents(EventPublisher publisher) {
        this.publisher = publisher;
    }

    Mono<Void> created(Session session) {
        return publish(EventTypes.SESSION_CREATED, Uuids.named("session-created", session.id().toString()),
                payload(session, session.status(), null, null, null, session.createdAt()));
    }

    /** {@code session} as the transition left it, coming from {@code previous}. */
    Mono<Void> transitioned(Session session, SessionStatus previous, @Nullable Integer reasonCode,
            @Nullable String reason) {
        return publish(SessionTransitions.eventType(session.status()),
                Uuids.named("session-state", session.id().toString(), Long.toString(session.version())),
                payload(session, session.status(), previous, reasonCode, reason, session.updatedAt()));
    }

    /** {@code status} of the payload is the last status the session had. */
    Mono<Void> deleted(Session session, String reason, Instant at) {
        return publish(EventTypes.SESSION_DELETED, Uuids.named("session-deleted", session.id().toString()),
                payload(session, session.status(), null, null, reason, at));
    }

    private Mono<Void> publish(String type, java.util.UUID eventId, SessionStateChanged payload) {
        String sessionId = payload.sessionId().toString();
        EventMetadata metadata = EventMetadata.of(type, SOURCE, sessionId, payload.tenantId(), sessionId)
                .withId(eventId.toString());
        return publisher.publish(Topics.WA_SESSION_EVENTS, metadata, payload, sessionId)
                .doOnSuccess(ignored -> log.info("Session {} of tenant {}: {} ({} → {})", sessionId,
                        payload.tenantId(), type, payload.previousStatus() == null ? "-"
                                : payload.previousStatus().value(), payload.status().value()));
    }

    private static SessionStateChanged payload(Session session, SessionStatus status,
            @Nullable SessionStatus previous, @Nullable Integer reasonCode, @Nullable String reason, Instant at) {
        return new SessionStateChanged(session.tenantId(), session.id(), status, previous, session.transport(),
                session.phoneNumber(), reasonCode, reason, session.connectionAttempts(), at);
    }
}
