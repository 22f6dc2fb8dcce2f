package dev.conversa.session.transport;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import dev.conversa.events.session.SessionTransport;
import reactor.core.publisher.Mono;

/**
 * One session's live link to WhatsApp on this instance, whatever the transport: a linked device's socket or a Cloud
 * API phone number. The runtime holds one per owned session and sends through it; the transports implement it.
 */
public interface LiveConnection {

    UUID sessionId();

    SessionTransport transport();

    /**
     * Sends one message. Completes with {@link SendResult.Accepted} when WhatsApp took it (linked: the {@code ack};
     * Cloud API: the {@code 200} answer) or {@link SendResult.Rejected} when WhatsApp refused it. Errors only when
     * the outcome is unknown: no answer in time ({@link java.util.concurrent.TimeoutException}), or the connection is
     * not open ({@link ConnectionNotOpenException}). A resend after an unknown outcome must carry the same
     * {@link OutboundSend#clientRef()}.
     */
    Mono<SendResult> send(OutboundSend send);

    /**
     * Uploads a file for media sends of this session and completes with WhatsApp's id of it, which
     * {@link OutboundSend#transportMediaId()} then names (Cloud API: {@code POST /{phone-number-id}/media}; linked:
     * the protocol's media upload beside the socket). Nothing reaches a recipient, so an upload may always be retried.
     * Errors with {@link MediaUploadException} when WhatsApp refused the file or did not answer in time (its
     * {@code rejected()} says whether a later attempt may succeed), {@link ConnectionNotOpenException} when the
     * connection is not open.
     */
    Mono<String> uploadMedia(MediaFile file);

    /**
     * Tells WhatsApp that the contact's messages {@code waMessageIds} were read (the contact sees blue ticks): linked,
     * a {@code read} frame; Cloud API, one mark-as-read request per id. Best effort: callers log a failure and do
     * not retry it. Errors with {@link ConnectionNotOpenException} when the connection is not open (nothing was
     * sent), otherwise as the transport documents.
     */
    Mono<Void> markRead(List<String> waMessageIds);

    /** A round trip to WhatsApp for health checks; errors when there is no answer in time. */
    Mono<Duration> ping();

    /** Whether the connection can send now (linked: logged in and open; Cloud API: credentials loaded). */
    boolean isOpen();

    /** Closes the connection without logging out, so another instance can open it; idempotent. */
    Mono<Void> close();
}
