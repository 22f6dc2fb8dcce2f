package dev.conversa.session.outbound;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.session.sessions.PhoneNumbers;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Takes {@code conversa.message.send-requested.v1} commands into the outbound queue, a list at a time (one
 * statement). The offsets of the commands are committed once their rows are written, so the sends survive a crash of
 * this instance; a command delivered again (same session and {@code idempotencyKey}) finds its row and adds nothing.
 * A command that can never be sent — unknown session, invalid recipient or content — is answered with
 * {@code conversa.message.failed.v1} (not retryable) instead of sitting in a queue; those answers are published after
 * the list's rows are written, so a list written again after a failure does not answer twice what it refused.
 */
@Component
public class SendRequests {

    /** WhatsApp's limit on the body of a text message. */
    static final int MAX_TEXT_LENGTH = 4096;

    private static final Logger log = LoggerFactory.getLogger(SendRequests.class);

    private final OutboundQueue queue;
    private final OutboundStatuses statuses;
    private final OutboundDispatchers dispatchers;

    SendRequests(OutboundQueue queue, OutboundStatuses statuses, OutboundDispatchers dispatchers) {
        this.queue = queue;
        this.statuses = statuses;
        this.dispatchers = dispatchers;
    }

    /** Queues the sendable commands of the list, in its order, and refuses the others. */
    public Mono<Void> handle(List<SendMessageRequested> commands) {
        return Mono.defer(() -> queueOrRefuse(commands));
    }

    private Mono<Void> queueOrRefuse(List<SendMessageRequested> commands) {
        List<SendMessageRequested> sendable = new ArrayList<>(commands.size());
        List<Map.Entry<SendMessageRequested, String>> refused = new ArrayList<>();
        for (SendMessageRequested command : commands) {
            invalid(command).ifPresentOrElse(why -> refused.add(Map.entry(command, why)),
                    () -> sendable.add(command));
        }
        return queue.enqueueAll(sendable)
                .flatMap(intakes -> {
                    Set<UUID> woken = new LinkedHashSet<>();
                    for (int i = 0; i < intakes.size(); i++) {
                        SendMessageRequested command = sendable.get(i);
                        switch (intakes.get(i)) {
                            case QUEUED -> {
                                log.debug("Queued send {} of session {} to {}", command.messageId(),
                                        command.sessionId(), Pii.phone(command.to()));
                                woken.add(command.sessionId());
                            }
                            case ALREADY_QUEUED -> log.info("Send {} of session {} was already queued; not queued "
                                    + "again", command.messageId(), command.sessionId());
                            case UNKNOWN_SESSION -> refused.add(Map.entry(command, "unknown session"));
                        }
                    }
                    woken.forEach(dispatchers::wake);
                    return Flux.fromIterable(refused)
                            .concatMap(refusal -> refuse(refusal.getKey(), refusal.getValue()))
                            .then();
                });
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
