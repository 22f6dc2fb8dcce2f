package dev.conversa.session.outbound;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
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
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Sends one live session's queued messages, one at a time, at the session's pace.
 *
 * <p>Each round waits for a slot of the session's pace and only then picks the head of the queue, so a
 * conversational send that arrives while a campaign send waits for its slot takes that slot: a running campaign
 * delays a reply by one send slot at most. The picked row is claimed ({@code queued → sending}) before anything
 * leaves, the session's lease is checked (a stale owner sends nothing), duplicate content is suppressed, and the
 * answer is written before the next round. A send of one of our stored files first uploads it to WhatsApp for this
 * session ({@link OutboundMediaUploads}, reused by later sends of the same file); a failed upload counts as a refusal
 * with its own code and retryability. The answers:
 * <ul>
 * <li>accepted → {@code accepted} + event;</li>
 * <li>refused and retryable → queued again with back-off, up to {@code maxAttempts};</li>
 * <li>refused → {@code failed} + event;</li>
 * <li>not open → queued again at once (nothing left);</li>
 * <li>no answer → stays {@code sending}: only a receipt, the reconnect reconciliation or the unknown-outcome timeout
 * resolves it, because sending it again could deliver it twice.</li>
 * </ul>
 * Wake-ups coalesce: at most one is pending while a drain runs, so the signal queue is bounded.
 */
final class OutboundDispatcher {

    private static final Logger log = LoggerFactory.getLogger(OutboundDispatcher.class);

    private final UUID sessionId;
    private final LiveConnection connection;
    private final OutboundDispatchers.Collaborators with;
    private final SendObserver observer;
    private final AtomicBoolean wakePending = new AtomicBoolean();
    private final Sinks.Many<Boolean> wakeups = Sinks.many().unicast().onBackpressureBuffer();
    private final Disposable loop;

    OutboundDispatcher(UUID sessionId, LiveConnection connection, OutboundDispatchers.Collaborators with,
            SendObserver observer) {
        this.sessionId = sessionId;
        this.connection = connection;
        this.with = with;
        this.observer = observer;
        this.loop = wakeups.asFlux()
                .concatMap(ignored -> {
                    wakePending.set(false);
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
        if (!loop.isDisposed() && wakePending.compareAndSet(false, true)) {
            wakeups.tryEmitNext(Boolean.TRUE);
        }
    }

    void stop() {
        loop.dispose();
        wakeups.tryEmitComplete();
    }

    private Mono<Void> drain() {
        return Mono.defer(this::round).repeat().takeWhile(Boolean::booleanValue).then();
    }

    /** One send, if one is due and the connection is open; true when another round may find more. */
    private Mono<Boolean> round() {
        if (loop.isDisposed() || !connection.isOpen()) {
            return Mono.just(false);
        }
        return with.queue().next(sessionId)
                .flatMap(due -> with.pacer().awaitSlot(sessionId, connection.transport())
                        .then(Mono.defer(() -> with.queue().next(sessionId)))
                        .flatMap(this::attempt)
                        .thenReturn(true))
                .defaultIfEmpty(false);
    }

    private Mono<Void> attempt(OutboundMessage head) {
        return with.queue().claim(head.id())
                .flatMap(claimed -> with.leases().holds(sessionId).flatMap(ours -> {
                    if (!ours) {
                        log.warn("Session {} lost its lease; send {} goes back to the queue for the new owner",
                                sessionId, claimed.id());
                        stop();
                        return with.queue().requeue(claimed.id(), Instant.now(), null, null).then();
                    }
                    return expired(claimed) ? fail(claimed, null, "expired in the queue", true)
                            : withoutDuplicate(claimed);
                }));
    }

    private boolean expired(OutboundMessage message) {
        return message.command().requestedAt().plus(with.properties().maxQueueAge()).isBefore(Instant.now());
    }

    private Mono<Void> withoutDuplicate(OutboundMessage message) {
        SendMessageRequested command = message.command();
        String fingerprint = fingerprint(command);
        return with.duplicates().claim(sessionId, command.to(), fingerprint, command.idempotencyKey())
                .flatMap(first -> {
                    if (!first) {
                        log.info("Send {} of session {} to {} suppressed: same content within the duplicate window",
                                message.id(), sessionId, Pii.phone(command.to()));
                        return fail(message, 409, "duplicate content suppressed: the same message went to this "
                                + "number moments ago", false);
                    }
                    return send(message).onErrorResume(error -> with.duplicates()
                            .release(sessionId, command.to(), fingerprint, command.idempotencyKey())
                            .then(Mono.error(error)));
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
