package dev.conversa.session.linked;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.conversa.events.session.SessionTransport;
import dev.conversa.session.reconnect.DisconnectReason;
import dev.conversa.session.reconnect.ReconnectDecision;
import dev.conversa.session.reconnect.ReconnectDecision.ReconnectAfter;
import dev.conversa.session.reconnect.ReconnectDecision.ReconnectNow;
import dev.conversa.session.reconnect.ReconnectDecision.Stop;
import dev.conversa.session.reconnect.ReconnectDecision.TerminalStatus;
import dev.conversa.session.reconnect.ReconnectDecision.WaitForNewQr;
import dev.conversa.session.transport.ConnectionNotOpenException;
import dev.conversa.session.transport.LiveConnection;
import dev.conversa.session.transport.MediaFile;
import dev.conversa.session.transport.MediaUploadException;
import dev.conversa.session.transport.OutboundSend;
import dev.conversa.session.transport.SendResult;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

/**
 * One WhatsApp number as a linked device: keeps a socket to the server ({@link DeviceSocket}, one at a time), pairs
 * it when it has no credentials (QR or pairing code), and when a socket ends asks the {@code ReconnectPolicy} what to
 * do and does it: reconnect now (515 after pairing, with the credentials just received), after a back-off delay
 * (a {@code Mono.delay}, no thread waits), stop, or wait for {@link #restart()}. The listener hears every step.
 *
 * <p>State is small on purpose (thousands of sessions share an instance): the credentials, a few counters, the
 * current socket and a ring of recently handled {@code deliveryId}s. Methods are thread-safe and never block.
 */
public final class LinkedDeviceSession implements LiveConnection {

    private static final Logger log = LoggerFactory.getLogger(LinkedDeviceSession.class);
    private static final int LATE_ACKS = 64;

    private final UUID sessionId;
    private final LinkedDeviceClient client;
    private final LinkedSessionListener listener;
    private final RecentDeliveryIds handled;
    private volatile @Nullable LinkedCredentials credentials;

    // guarded by this
    private @Nullable DeviceSocket socket;
    private @Nullable Disposable reconnect;
    private int attemptsSoFar;
    private boolean lastEndWasBadSession;
    private boolean stopped = true;
    /** Changes on start, close and restart: decisions and timers of an earlier epoch are void. */
    private long epoch;
    private @Nullable Map<String, SendResult.Accepted> lateAccepted;

    LinkedDeviceSession(UUID sessionId, @Nullable LinkedCredentials credentials, LinkedSessionListener listener,
            LinkedDeviceClient client) {
        this.sessionId = Objects.requireNonNull(sessionId, "sessionId");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.client = client;
        this.credentials = credentials;
        this.handled = new RecentDeliveryIds(client.properties().dedupeCapacity());
    }

    @Override
    public UUID sessionId() {
        return sessionId;
    }

    @Override
    public SessionTransport transport() {
        return SessionTransport.LINKED;
    }

    /** The credentials the next socket logs in with; {@code null} before pairing and after a logout (401). */
    public @Nullable LinkedCredentials credentials() {
        return credentials;
    }

    /** Logged in and open: sends go out. */
    @Override
    public boolean isOpen() {
        DeviceSocket current = current();
        return current != null && current.isOpen();
    }

    /**
     * Sends a text, location or reaction ({@code text} is the emoji, {@code replyToWaMessageId} the message reacted
     * to; an empty emoji removes the reaction) and completes with the server's {@code ack}: Accepted, or Rejected
     * (400 invalid and 403 banned are final; 428 and 500 retryable; 429: too many sends in flight on this device,
     * retryable). Media go by the id of a file uploaded first ({@link #uploadMedia}, {@link
     * OutboundSend#transportMediaId()}); media without one and templates (Cloud API only) are Rejected(400) at once. Errors: {@link TimeoutException}
     * when no ack came within {@code ack-timeout} or the socket closed first (the outcome is unknown: resend with the
     * same clientRef), {@link ConnectionNotOpenException} when the device is not open (nothing was sent).
     *
     * <p>The protocol does not deduplicate on {@code clientRef}: a resend after a lost ack is a second message to the
     * customer. An ack that arrives after its send timed out is remembered (the last 64), and a resend with that
     * {@code clientRef} is answered from it without sending again.
     */
    @Override
    public Mono<SendResult> send(OutboundSend send) {
        Objects.requireNonNull(send, "send");
        return Mono.defer(() -> {
            OutboundFrames.Prepared prepared = OutboundFrames.prepare(send);
            if (prepared.rejected() != null) {
                return Mono.just(prepared.rejected());
            }
            SendResult.Accepted late = takeLateAccepted(send.clientRef());
            if (late != null) {
                return Mono.just(late);
            }
            DeviceSocket current = current();
            if (current == null || !current.isOpen()) {
                return Mono.error(new ConnectionNotOpenException(sessionId));
            }
            return current.send(send.clientRef(), Objects.requireNonNull(prepared.frame()));
        });
    }

    /**
     * Uploads the file with the device's credentials beside the socket ({@link LinkedMediaUploads}) and completes with
     * the media id a {@code send} frame names. Errors: {@link ConnectionNotOpenException} when the device is not
     * logged in and open; {@link MediaUploadException} when the server refused the file or did not answer.
     */
    @Override
    public Mono<String> uploadMedia(MediaFile file) {
        Objects.requireNonNull(file, "file");
        return Mono.defer(() -> {
            LinkedCredentials current = credentials;
            if (current == null || !isOpen()) {
                return Mono.error(new ConnectionNotOpenException(sessionId));
            }
            return client.mediaUploads().upload(current, file);
        });
    }

    /**
     * Reports these inbound messages as read with {@code read} frames (at most 100 ids each). The server does not
     * answer a {@code read}: this completes once the frames are queued on the open socket, at once for no ids.
     * Errors: {@link ConnectionNotOpenException} when the device is not open (nothing was sent);
     * {@link IllegalStateException} when the socket's outbound buffer is full (the receipts are dropped).
     */
    @Override
    public Mono<Void> markRead(List<String> waMessageIds) {
        List<String> ids = List.copyOf(waMessageIds);
        return Mono.defer(() -> {
            if (ids.isEmpty()) {
                return Mono.empty();
            }
            DeviceSocket current = current();
            if (current == null || !current.isOpen()) {
                return Mono.error(new ConnectionNotOpenException(sessionId));
            }
            return current.read(ids);
        });
    }

    /** A device {@code ping}; completes with the round trip, or errors after {@code ping-timeout}. */
    @Override
    public Mono<Duration> ping() {
        return Mono.defer(() -> {
            DeviceSocket current = current();
            if (current == null || !current.isOpen()) {
                return Mono.error(new ConnectionNotOpenException(sessionId));
            }
            return current.ping();
        });
    }

    /**
     * Stops: closes the socket without logging out and reconnects no more, until {@link #restart()}. The listener's
     * {@code ended} is not called. Frames not yet handed to the listener stay unacknowledged and come again on the next
     * connection (of this or another instance). Idempotent; completes once the socket is closed.
     */
    @Override
    public Mono<Void> close() {
        return Mono.defer(() -> {
            DeviceSocket current;
            synchronized (this) {
                stopped = true;
                epoch++;
                cancelReconnect();
                current = socket;
            }
            client.forget(this);
            return current == null ? Mono.empty() : current.closeLocally();
        });
    }

    /**
     * Unlinks the device: sends {@code logout} and completes when the server's {@code disconnect} 401 has closed the
     * socket and the listener's {@code ended} (Stop, logged_out) completed. The credentials are forgotten and nothing
     * reconnects. Errors with {@link ConnectionNotOpenException} when the device is not open, and with a
     * {@link TimeoutException} (after closing the socket) when the server does not close it within {@code ack-timeout}.
     */
    public Mono<Void> logout() {
        return Mono.defer(() -> {
            DeviceSocket current = current();
            if (current == null || !current.isOpen()) {
                return Mono.error(new ConnectionNotOpenException(sessionId));
            }
            Duration timeout = client.properties().ackTimeout();
            return current.logout().timeout(timeout, Mono.defer(() -> close().then(Mono.error(
                    new TimeoutException("The server did not end linked session " + sessionId + " within "
                            + timeout + " after logout")))));
        });
    }

    /**
     * Asks for a pairing code for {@code phoneNumberE164} (the number of the phone that will type it), on a session
     * that is pairing (showing QR refs). Completes once the code was handed to the listener's {@code pairingCode}.
     * Errors: {@link IllegalArgumentException} for a number that is not E.164; {@link IllegalStateException} when the
     * session has no pairing socket or the server refused (428: before the first QR, or already paired);
     * {@link TimeoutException} after {@code ack-timeout}. A new request replaces the previous code.
     */
    public Mono<Void> requestPairingCode(String phoneNumberE164) {
        return Mono.defer(() -> {
            String digits = WaNumbers.toWire(phoneNumberE164);
            DeviceSocket current = current();
            if (current == null) {
                return Mono.error(new IllegalStateException("Linked session " + sessionId
                        + " has no connection to pair on; restart() it first"));
            }
            if (current.withCredentials()) {
                return Mono.error(new IllegalStateException("Linked session " + sessionId
                        + " logs in with credentials; a pairing code is only for a device that is not paired"));
            }
            return current.requestPairingCode(digits);
        });
    }

    /**
     * Closes the current socket, if any, and connects again at once with a fresh reconnect count: after
     * {@link WaitForNewQr} (a new QR round), after a {@link Stop}, or when an operator restarts the session. Completes
     * once the new socket is being opened.
     */
    public Mono<Void> restart() {
        return Mono.defer(() -> {
            client.remember(this);
            DeviceSocket previous;
            long restartEpoch;
            synchronized (this) {
                epoch++;
                restartEpoch = epoch;
                cancelReconnect();
                stopped = false;
                attemptsSoFar = 0;
                previous = socket;
            }
            Mono<Void> closing = previous == null ? Mono.empty() : previous.closeLocally();
            return closing.then(Mono.fromRunnable(() -> {
                DeviceSocket next;
                synchronized (this) {
                    next = epoch == restartEpoch ? newSocket() : null;
                }
                launch(next);
            }));
        });
    }

    @Override
    public String toString() {
        return "LinkedDeviceSession[" + sessionId + "]";
    }

    // ---- used by LinkedDeviceClient and DeviceSocket

    LinkedSessionListener listener() {
        return listener;
    }

    void start() {
        DeviceSocket first;
        synchronized (this) {
            stopped = false;
            epoch++;
            first = newSocket();
        }
        launch(first);
    }

    void paired(LinkedCredentials paired) {
        credentials = paired;
    }

    synchronized void opened() {
        attemptsSoFar = 0;
    }

    boolean alreadyHandled(String deliveryId) {
        return handled.contains(deliveryId);
    }

    void handled(String deliveryId) {
        handled.add(deliveryId);
    }

    synchronized void lateAccepted(String clientRef, SendResult.Accepted accepted) {
        if (lateAccepted == null) {
            lateAccepted = new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, SendResult.Accepted> eldest) {
                    return size() > LATE_ACKS;
                }
            };
        }
        lateAccepted.put(clientRef, accepted);
    }

    // ---- connecting and reconnecting

    private synchronized @Nullable DeviceSocket current() {
        return socket;
    }

    private synchronized SendResult.@Nullable Accepted takeLateAccepted(String clientRef) {
        return lateAccepted == null ? null : lateAccepted.remove(clientRef);
    }

    /** A socket to launch, unless stopped or one is live already; the caller holds the lock. */
    private @Nullable DeviceSocket newSocket() {
        if (stopped || socket != null) {
            return null;
        }
        DeviceSocket next = new DeviceSocket(this, client, credentials, attemptsSoFar, epoch);
        socket = next;
        return next;
    }

    /** Runs {@code next} until it ends, then acts on the decision; called without the lock (callbacks run here). */
    private void launch(@Nullable DeviceSocket next) {
        if (next == null) {
            return;
        }
        Disposable running = Mono.defer(() -> listener.connecting(sessionId, next.attempt()))
                .onErrorResume(e -> callbackFailed("connecting", e))
                .then(next.run())
                .flatMap(end -> ended(next, end))
                .doFinally(signal -> finished(next))
                .subscribe(null, e -> log.error("Linked session {}: connection handling failed", sessionId, e));
        next.attach(running);
    }

    private Mono<Void> ended(DeviceSocket ended, DeviceSocket.End end) {
        ended.terminate();
        DisconnectReason reason = end.reason();
        ReconnectDecision decision;
        long decidedIn;
        synchronized (this) {
            if (socket == ended) {
                socket = null;
            }
            if (ended.closedLocally() || ended.epoch() != epoch) {
                // closed by close() or restart(): whoever did it knows, and decides what comes next
                return Mono.empty();
            }
            decision = client.policy().decide(reason, attemptsSoFar,
                    reason == DisconnectReason.BAD_SESSION && lastEndWasBadSession);
            if (ended.logoutRequested() && !(decision instanceof Stop)) {
                decision = new Stop(TerminalStatus.LOGGED_OUT, true, true);
            }
            lastEndWasBadSession = reason == DisconnectReason.BAD_SESSION;
            if (reason == DisconnectReason.LOGGED_OUT || decision instanceof Stop stop && stop.wipeAuthState()) {
                credentials = null;
            }
            if (decision instanceof Stop || decision instanceof WaitForNewQr) {
                stopped = true;
            }
            decidedIn = epoch;
        }
        log.info("Linked session {}: connection ended with {} ({}), {}", sessionId, reason, end.text(), decision);
        ReconnectDecision next = decision;
        return Mono.defer(() -> listener.ended(sessionId, reason, end.text(), next))
                .onErrorResume(e -> callbackFailed("ended", e))
                .then(Mono.fromRunnable(() -> act(next, decidedIn)));
    }

    private void act(ReconnectDecision decision, long decidedIn) {
        DeviceSocket next = null;
        synchronized (this) {
            if (epoch != decidedIn || stopped) {
                return;
            }
            switch (decision) {
                case ReconnectNow now -> {
                    attemptsSoFar++;
                    next = newSocket();
                }
                case ReconnectAfter after -> {
                    attemptsSoFar = after.attempt();
                    reconnect = Mono.delay(after.delay()).subscribe(tick -> reconnectDue(decidedIn));
                }
                case Stop stop -> {
                    // stopped already
                }
                case WaitForNewQr wait -> {
                    // stopped already, until restart()
                }
            }
        }
        launch(next);
    }

    private void reconnectDue(long decidedIn) {
        DeviceSocket next;
        synchronized (this) {
            reconnect = null;
            next = epoch == decidedIn ? newSocket() : null;
        }
        launch(next);
    }

    private void finished(DeviceSocket done) {
        done.terminate();
        synchronized (this) {
            if (socket == done) {
                socket = null;
            }
        }
        done.markDone();
    }

    private void cancelReconnect() {
        if (reconnect != null) {
            reconnect.dispose();
            reconnect = null;
        }
    }

    private Mono<Void> callbackFailed(String callback, Throwable e) {
        log.warn("Linked session {}: listener.{} failed: {}", sessionId, callback, e.toString());
        return Mono.empty();
    }
}
