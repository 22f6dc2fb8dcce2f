package dev.conversa.session.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.message.MessageType;
import dev.conversa.session.media.OutboundMediaUploads;
import dev.conversa.session.transport.ConnectionNotOpenException;
import dev.conversa.session.transport.LiveConnection;
import dev.conversa.session.transport.MediaUploadException;
import dev.conversa.session.transport.OutboundSend;
import dev.conversa.session.transport.SendResult;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Sends one live session's queued messages at the session's pace, several in flight.
 *
 * <p>Each round waits for a slot of the session's pace and only then claims the head of the queue
 * ({@code queued → sending}, one statement), so a conversational send that arrives while a campaign send waits for its
 * slot takes that slot: a running campaign delays a reply by one send slot at most. The session's lease is checked (a
 * stale owner sends nothing), duplicate content is suppressed, and the send is handed to the transport; the next round
 * starts without waiting for WhatsApp's answer, so up to {@code in-flight} sends are answered and recorded while the
 * next ones go out, and the pace — not the round trips of one send — sets the rate. Sends to one recipient still go
 * one at a time, in queue order. A send of one of our stored files first uploads it to WhatsApp for this session
 * ({@link OutboundMediaUploads}, reused by later sends of the same file); a failed upload counts as a refusal with its
 * own code and retryability. The answers:
 * <ul>
 * <li>accepted → {@code accepted} + event;</li>
 * <li>refused and retryable → queued again with back-off, up to {@code maxAttempts};</li>
 * <li>refused → {@code failed} + event;</li>
 * <li>not open → queued again at once (nothing left);</li>
 * <li>no answer → stays {@code sending}: only a receipt, the reconnect reconciliation or the unknown-outcome timeout
 * resolves it, because sending it again could deliver it twice.</li>
 * </ul>
 * Wake-ups coalesce ({@link WakeSignal}): at most one is pending while a drain runs, so the signal queue is bounded,
 * and one that races another thread's is never lost. {@link #stop()} claims
 * nothing more but lets the sends in flight be answered and recorded.
 */
final class OutboundDispatcher {

    private static final Logger log = LoggerFactory.getLogger(OutboundDispatcher.class);

    private final UUID sessionId;
    private final LiveConnection connection;
    private final OutboundDispatchers.Collaborators with;
    private final SendObserver observer;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final WakeSignal wakeups = new WakeSignal();
    /** The latest send in flight per recipient: a later send to the same number starts once it is answered. */
    private final Map<String, Mono<Void>> inFlightTo = new ConcurrentHashMap<>();
    /** Whether the last round sent something: then the next one reserves its slot without looking at the queue. */
    private volatile boolean busy;

    OutboundDispatcher(UUID sessionId, LiveConnection connection, OutboundDispatchers.Collaborators with,
            SendObserver observer) {
        this.sessionId = sessionId;
        this.connection = connection;
        this.with = with;
        this.observer = observer;
        wakeups.asFlux()
                .concatMap(ignored -> {
                    wakeups.taken();
                    return drain().onErrorResume(error -> {
                        log.warn("Outbound round of session {} failed; next wake-up retries: {}", sessionId,
                                error.toString());
                        return Mono.empty();
                    });
                }, 1)
                .subscribe();
    }

    UUID sessionId() {
        return sessionId;
    }

    LiveConnection connection() {
        return connection;
    }

    void wake() {
        if (!stopped.get()) {
            wakeups.wake();
        }
    }

    /** Claims nothing more; sends already handed to the transport are still answered and recorded. */
    void stop() {
        if (stopped.compareAndSet(false, true)) {
            wakeups.close();
        }
    }

    /**
     * Rounds until the queue has nothing due: each claims one send and hands it to the transport, and the next round
     * starts without waiting for WhatsApp's answer, up to {@code in-flight} unanswered sends.
     */
    private Mono<Void> drain() {
        return Mono.defer(this::round)
                .onErrorResume(error -> {
                    // ends this drain without cancelling the sends in flight: their answers are still recorded
                    log.warn("Outbound round of session {} failed; the next wake-up retries: {}", sessionId,
                            error.toString());
                    return Mono.just(Round.DONE);
                })
                .repeat()
                .takeWhile(Round::more)
                .flatMap(Round::answer, with.properties().inFlight())
                .then();
    }

    /**
     * What one round did: {@code answer} completes once the send it claimed is answered and recorded (empty when the
     * round settled its send at once, e.g. expired or a suppressed duplicate); {@code more} is false when the queue
     * had nothing due, the connection is closed or the dispatcher stopped.
     */
    private record Round(boolean more, Mono<Void> answer) {

        static final Round DONE = new Round(false, Mono.empty());
        static final Round SETTLED = new Round(true, Mono.empty());
    }

    /** One send, if one is due and the connection is open. */
    private Mono<Round> round() {
        if (stopped.get() || !connection.isOpen()) {
            return Mono.just(Round.DONE);
        }
        Mono<Boolean> due = busy ? Mono.just(true) : with.queue().next(sessionId).hasElement();
        return due.flatMap(any -> !any ? Mono.just(Round.DONE)
                        : with.pacer().awaitSlot(sessionId, connection.transport())
                                .then(Mono.defer(() -> stopped.get() ? Mono.<OutboundMessage>empty()
                                        : with.queue().claimNext(sessionId)))
                                .flatMap(this::attempt)
                                .defaultIfEmpty(Round.DONE))
                .doOnNext(round -> busy = round.more());
    }

    private Mono<Round> attempt(OutboundMessage claimed) {
        return with.leases().holds(sessionId).flatMap(ours -> {
            if (!ours) {
                log.warn("Session {} lost its lease; send {} goes back to the queue for the new owner", sessionId,
                        claimed.id());
                stop();
                return with.queue().requeue(claimed.id(), Instant.now(), null, null).thenReturn(Round.DONE);
            }
            return expired(claimed) ? fail(claimed, null, "expired in the queue", true).thenReturn(Round.SETTLED)
                    : withoutDuplicate(claimed);
        });
    }

    private boolean expired(OutboundMessage message) {
        return message.command().requestedAt().plus(with.properties().maxQueueAge()).isBefore(Instant.now());
    }

    private Mono<Round> withoutDuplicate(OutboundMessage message) {
        SendMessageRequested command = message.command();
        String fingerprint = fingerprint(command);
        return with.duplicates().claim(sessionId, command.to(), fingerprint, command.idempotencyKey())
                .flatMap(first -> {
                    if (!first) {
                        log.info("Send {} of session {} to {} suppressed: same content within the duplicate window",
                                message.id(), sessionId, Pii.phone(command.to()));
                        return fail(message, 409, "duplicate content suppressed: the same message went to this "
                                + "number moments ago", false).thenReturn(Round.SETTLED);
                    }
                    Mono<Void> answer = send(message).onErrorResume(error -> with.duplicates()
                            .release(sessionId, command.to(), fingerprint, command.idempotencyKey())
                            .then(Mono.fromRunnable(() -> log.warn("Send {} of session {} could not be recorded; "
                                    + "the sweep resolves it: {}", message.id(), sessionId, error.toString()))));
                    return Mono.just(new Round(true, afterEarlierSendsTo(command.to(), answer)));
                });
    }

    /**
     * {@code send} once every earlier send of this session to the same recipient has been answered, so one contact's
     * messages reach WhatsApp in the order they were queued; sends to other recipients do not wait.
     */
    private Mono<Void> afterEarlierSendsTo(String recipient, Mono<Void> send) {
        Sinks.Empty<Void> answered = Sinks.empty();
        Mono<Void> mine = answered.asMono();
        Mono<Void> earlier = inFlightTo.put(recipient, mine);
        return (earlier == null ? send : earlier.then(send))
                .doFinally(signal -> {
                    inFlightTo.remove(recipient, mine);
                    answered.tryEmitEmpty();
                });
    }

    private Mono<Void> send(OutboundMessage message) {
        String fingerprint = fingerprint(message.command());
        long start = System.nanoTime();
        return with.media().prepare(message.tenantId(), connection, toSend(message))
                .flatMap(connection::send)
                .onErrorResume(MediaUploadException.class, refused -> Mono.just(refused.rejected()))
                .flatMap(result -> switch (result) {
                    case SendResult.Accepted accepted -> {
                        observer.answered();
                        with.sent(connection.transport(), "accepted", start);
                        yield with.queue().accept(message.id(), accepted.waMessageId())
                                .flatMap(row -> with.statuses().accepted(row, accepted.waMessageId(),
                                        accepted.acceptedAt()))
                                .then(with.activity().sent(sessionId));
                    }
                    case SendResult.Rejected rejected -> {
                        observer.answered();
                        with.sent(connection.transport(), "rejected", start);
                        yield with.duplicates().release(sessionId, message.recipient(), fingerprint,
                                        message.idempotencyKey())
                                .then(forgetUploadedMedia(message))
                                .then(rejected(message, rejected));
                    }
                })
                .onErrorResume(ConnectionNotOpenException.class, closed -> with.duplicates()
                        .release(sessionId, message.recipient(), fingerprint, message.idempotencyKey())
                        .then(with.queue().requeue(message.id(), Instant.now(), null, null))
                        .then())
                .onErrorResume(error -> !(error instanceof ConnectionNotOpenException), unanswered -> {
                    observer.unanswered(unanswered);
                    with.sent(connection.transport(), "unanswered", start);
                    log.warn("Send {} of session {} got no answer ({}); its outcome is unknown until a receipt or "
                            + "the reconnect settles it", message.id(), sessionId, unanswered.toString());
                    return Mono.empty();
                });
    }

    /** A refused media send drops the session's upload of its file: a retry uploads it afresh. */
    private Mono<Void> forgetUploadedMedia(OutboundMessage message) {
        MediaRef media = message.command().media();
        return media == null || media.mediaId() == null ? Mono.empty()
                : with.media().forget(sessionId, media.mediaId());
    }

    private Mono<Void> rejected(OutboundMessage message, SendResult.Rejected rejected) {
        if (rejected.retryable() && message.attempts() < with.properties().maxAttempts()) {
            Duration delay = with.properties().retryDelay().multipliedBy(1L << Math.min(message.attempts() - 1, 10));
            log.info("Send {} of session {} refused with {} (retryable); attempt {} of {} in {}", message.id(),
                    sessionId, rejected.code(), message.attempts(), with.properties().maxAttempts(), delay);
            return with.queue().requeue(message.id(), Instant.now().plus(delay), rejected.code(), rejected.title())
                    .then();
        }
        return fail(message, rejected.code(), rejected.title(), rejected.retryable());
    }

    private Mono<Void> fail(OutboundMessage message, @Nullable Integer code, String title, boolean retryable) {
        return with.queue().fail(message.id(), code, title, retryable)
                .flatMap(failed -> with.statuses().failed(failed, code, title, retryable));
    }

    static OutboundSend toSend(OutboundMessage message) {
        SendMessageRequested command = message.command();
        return new OutboundSend(message.id().toString(), command.to(), command.type(), command.text(),
                command.media(), command.template(), command.location(), command.replyToWaMessageId());
    }

    static String fingerprint(SendMessageRequested command) {
        MediaRef media = command.media();
        String mediaKey = media == null ? null
                : media.url() != null ? media.url() : String.valueOf(media.mediaId());
        return dev.conversa.session.pacing.DuplicateContentGuard.fingerprint(command.type(),
                command.type() == MessageType.REACTION ? command.text() + "\u0000" + command.replyToWaMessageId()
                        : command.text(),
                mediaKey, command.template() == null ? null : command.template().name(),
                command.template() == null ? List.of() : command.template().parameters());
    }
}
