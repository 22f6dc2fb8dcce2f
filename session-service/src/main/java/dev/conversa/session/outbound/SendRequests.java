package dev.conversa.session.outbound;

import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.stereotype.Component;

import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.session.sessions.PhoneNumbers;
import dev.conversa.session.sessions.SessionRepository;
import dev.conversa.web.id.Uuids;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Mono;

/**
 * Takes {@code conversa.message.send-requested.v1} commands into the outbound queue. The offset of a command is
 * committed once its row is written, so the send survives a crash of this instance; a command delivered again (same
 * session and {@code idempotencyKey}) finds its row and adds nothing. A command that can never be sent — unknown
 * session, invalid recipient or content — is answered at once with {@code conversa.message.failed.v1}
 * (not retryable) instead of sitting in a queue.
 */
@Component
public class SendRequests {

    /** WhatsApp's limit on the body of a text message. */
    static final int MAX_TEXT_LENGTH = 4096;

    private static final Logger log = LoggerFactory.getLogger(SendRequests.class);

    private final OutboundQueue queue;
    private final SessionRepository sessions;
    private final OutboundStatuses statuses;
    private final OutboundDispatchers dispatchers;

    SendRequests(OutboundQueue queue, SessionRepository sessions, OutboundStatuses statuses,
            OutboundDispatchers dispatchers) {
        this.queue = queue;
        this.sessions = sessions;
        this.statuses = statuses;
        this.dispatchers = dispatchers;
    }

    public Mono<Void> handle(SendMessageRequested command) {
        Optional<String> invalid = invalid(command);
        if (invalid.isPresent()) {
            return refuse(command, invalid.get());
        }
        return sessions.findById(command.sessionId())
                .filter(session -> session.tenantId().equals(command.tenantId()))
                .flatMap(session -> queue.enqueue(Uuids.v7(), command))
                .map(enqueued -> {
                    if (enqueued.created()) {
                        log.debug("Queued send {} of session {} to {}", enqueued.message().id(),
                                command.sessionId(), Pii.phone(command.to()));
                        dispatchers.wake(command.sessionId());
                    }
                    else {
                        log.info("Send {} of session {} was already queued ({}); not queued again",
                                enqueued.message().id(), command.sessionId(), enqueued.message().state().value());
                    }
                    return true;
                })
                .onErrorResume(DataIntegrityViolationException.class, deleted -> Mono.just(false))
                .defaultIfEmpty(false)
                .flatMap(queued -> queued ? Mono.<Void>empty() : refuse(command, "unknown session"));
    }

    private Mono<Void> refuse(SendMessageRequested command, String why) {
        log.warn("Send request {} for session {} refused: {}", command.messageId(), command.sessionId(), why);
        return statuses.failed(command, null, 400, why, false);
    }

    /** Why the command can never be sent, if it cannot. */
    static Optional<String> invalid(SendMessageRequested command) {
        if (PhoneNumbers.e164(command.to()).filter(command.to()::equals).isEmpty()) {
            return Optional.of("recipient is not an E.164 number");
        }
        String text = command.text();
        return switch (command.type()) {
            case TEXT -> text == null || text.isBlank() ? Optional.of("a text message needs text")
                    : text.length() > MAX_TEXT_LENGTH
                            ? Optional.of("text is longer than " + MAX_TEXT_LENGTH + " characters")
                            : Optional.empty();
            case IMAGE, AUDIO, VIDEO, DOCUMENT, STICKER -> command.media() == null
                    ? Optional.of("a " + command.type().value() + " message needs media") : Optional.empty();
            case TEMPLATE -> command.template() == null ? Optional.of("a template message needs a template")
                    : Optional.empty();
            case LOCATION -> command.location() == null ? Optional.of("a location message needs a location")
                    : Optional.empty();
            case REACTION -> command.replyToWaMessageId() == null
                    ? Optional.of("a reaction needs replyToWaMessageId, the message it reacts to")
                    : Optional.empty();
            default -> Optional.of("sending " + command.type().value() + " messages is not supported");
        };
    }
}
