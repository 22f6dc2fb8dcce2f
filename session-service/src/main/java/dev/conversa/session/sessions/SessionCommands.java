package dev.conversa.session.sessions;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.command.PairingCodeRequested;
import dev.conversa.events.command.SessionCommand;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Mono;

/**
 * Forwards what an HTTP request asks of a live session to the instance that owns it: a command on
 * {@code wa.commands} keyed by session id lands on the session's partition, whose consumer is the owner.
 */
@Component
class SessionCommands {

    private static final Logger log = LoggerFactory.getLogger(SessionCommands.class);

    private final EventPublisher publisher;

    SessionCommands(EventPublisher publisher) {
        this.publisher = publisher;
    }

    Mono<EventMetadata> logout(Session session, String requestedBy) {
        return publish(EventTypes.SESSION_LOGOUT_REQUESTED, session,
                new SessionCommand(session.tenantId(), session.id(), requestedBy, Instant.now()));
    }

    Mono<EventMetadata> restart(Session session, String requestedBy) {
        return publish(EventTypes.SESSION_RESTART_REQUESTED, session,
                new SessionCommand(session.tenantId(), session.id(), requestedBy, Instant.now()));
    }

    Mono<EventMetadata> pairingCode(Session session, String phoneNumber, String requestedBy) {
        return publish(EventTypes.SESSION_PAIRING_CODE_REQUESTED, session,
                new PairingCodeRequested(session.tenantId(), session.id(), phoneNumber, requestedBy, Instant.now()))
                .doOnSuccess(metadata -> log.info("Pairing code for {} requested on session {}",
                        Pii.phone(phoneNumber), session.id()));
    }

    private Mono<EventMetadata> publish(String type, Session session, Object payload) {
        String sessionId = session.id().toString();
        EventMetadata metadata = EventMetadata.of(type, SessionEvents.SOURCE, sessionId, session.tenantId(),
                sessionId);
        return publisher.publish(Topics.WA_COMMANDS, metadata, payload, sessionId)
                .doOnSuccess(ignored -> log.info("{} sent to the owner of session {} as {}", type, sessionId,
                        metadata.id()))
                .thenReturn(metadata);
    }
}
