package dev.conversa.session.runtime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.command.PairingCodeRequested;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SessionCommand;
import dev.conversa.session.outbound.SendRequests;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Mono;

/**
 * Acts on one record of {@code wa.commands}. This instance consumes the record's partition, so it owns the session
 * the command is for. Sends go to the outbound queue; restart, logout and pairing code act on the live session. A
 * command that cannot be carried out (the session is gone, WhatsApp refused a pairing code) is logged, not retried:
 * the caller sees the outcome in the session's events.
 */
@Component
class SessionCommandHandler {

    private static final Logger log = LoggerFactory.getLogger(SessionCommandHandler.class);

    private final SendRequests sends;
    private final SessionRuntime runtime;

    SessionCommandHandler(SendRequests sends, SessionRuntime runtime) {
        this.sends = sends;
        this.runtime = runtime;
    }

    Mono<Void> handle(EventEnvelope<Object> command) {
        return switch (command.payload()) {
            case SendMessageRequested send -> sends.handle(send);
            case PairingCodeRequested pairing -> runtime.requestPairingCode(pairing.sessionId(), pairing.phoneNumber())
                    .onErrorResume(error -> {
                        log.warn("Pairing code for {} on session {} not obtained: {}",
                                Pii.phone(pairing.phoneNumber()), pairing.sessionId(), error.toString());
                        return Mono.empty();
                    });
            case SessionCommand session when EventTypes.SESSION_RESTART_REQUESTED.equals(command.type()) ->
                    runtime.restart(session.sessionId()).onErrorResume(error -> failed(command, error));
            case SessionCommand session when EventTypes.SESSION_LOGOUT_REQUESTED.equals(command.type()) ->
                    runtime.logout(session.sessionId()).onErrorResume(error -> failed(command, error));
            default -> {
                log.warn("Ignoring {} {} on wa.commands: not a command of session-service", command.type(),
                        command.id());
                yield Mono.empty();
            }
        };
    }

    private static Mono<Void> failed(EventEnvelope<Object> command, Throwable error) {
        log.warn("{} {} for session {} failed: {}", command.type(), command.id(), command.metadata().subject(),
                error.toString());
        return Mono.empty();
    }
}
