package dev.conversa.session.linked;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.conversa.session.reconnect.DisconnectReason;
import dev.conversa.session.transport.ConnectionNotOpenException;
import dev.conversa.session.transport.SendResult;
import dev.conversa.web.logging.Pii;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.util.concurrent.Queues;

/**
 * One WebSocket of a {@link LinkedDeviceSession}, from {@code hello} to close. It never reconnects: when it ends it
 * reports an {@link End}, and the session decides.
 *
 * <p>Frames are read in order. Control frames ({@code ping}, {@code pong}, {@code ack}, {@code error},
 * {@code disconnect}) are handled as they arrive, so a slow listener never delays a keep-alive answer or a send's
 * result. Frames for the listener go through {@code concatMap}: one callback at a time, in the server's order, with a
 * small prefetch, so a slow listener stops reading from the socket (TCP back-pressure; the server then queues the
 * number's messages) instead of growing a buffer here.
 *
 * <p>Writes go through one bounded sink ({@code outbound-buffer} frames): a send that finds it full is refused as
 * retryable rather than buffered without bound. A frame of the listener is acknowledged only after its callback
 * completed, in batches (see {@link AckFlusher}); an acknowledgement that cannot be written is dropped, which is safe:
 * the frame comes again on the next connection and the session's {@link RecentDeliveryIds} acknowledges it at once.
 */
final class DeviceSocket {

    /** The protocol's largest frame. */
    static final int MAX_FRAME = 64 * 1024;
    /** The protocol version spoken in {@code hello}. */
    static final int PROTOCOL = 1;
    /** The most ids written in one {@code read} frame; more go in several frames. */
    static final int MAX_READ_IDS = 100;
    /** {@link SendResult.Rejected#code()} when this device cannot take more sends now (retryable). */
    static final int BUSY = 429;

    private static final Logger log = LoggerFactory.getLogger(DeviceSocket.class);
    private static final int ORDERED_PREFETCH = 32;
    private static final int MAX_PINGS = 16;
    private static final Object UPGRADED = new Object();

    enum State { CONNECTING, PAIRING, OPEN, CLOSED }

    /** How the socket ended: the {@code disconnect} frame's reason, else the close status, else 428. */
    record End(DisconnectReason reason, @Nullable String text) {
    }

    private record PendingPing(MonoSink<Duration> sink, long startedNanos) {
    }

    private final LinkedDeviceSession session;
    private final UUID sessionId;
    private final LinkedDeviceClient client;
    private final LinkedProperties properties;
    private final @Nullable LinkedCredentials credentials;
    private final int attempt;
    private final long epoch;
    private final Sinks.Many<String> outbound;
    private final Map<String, MonoSink<SendResult>> sends = new ConcurrentHashMap<>();
    private final Map<String, PendingPing> pings = new ConcurrentHashMap<>();
    private final Sinks.Empty<Void> done = Sinks.empty();

    private volatile State state = State.CONNECTING;
    private volatile ServerFrame.@Nullable Disconnect disconnect;
    private volatile @Nullable WebSocketCloseStatus closeStatus;
    private volatile @Nullable Throwable failure;
    private volatile boolean closedLocally;
    private volatile boolean logoutRequested;

    // guarded by this
    private @Nullable Disposable subscription;
    private @Nullable Connection connection;
    private @Nullable MonoSink<Void> pairingRequest;
    private @Nullable List<String> acks;
    private boolean ackQueued;
    private boolean outboundDone;
    private int pingIds;

    DeviceSocket(LinkedDeviceSession session, LinkedDeviceClient client, @Nullable LinkedCredentials credentials,
            int attempt, long epoch) {
        this.session = session;
        this.sessionId = session.sessionId();
        this.client = client;
        this.properties = client.properties();
        this.credentials = credentials;
        this.attempt = attempt;
        this.epoch = epoch;
        // unsafe: every emission holds this socket's lock; the queue is bounded and allocated once
        this.outbound = Sinks.unsafe().many().unicast()
                .onBackpressureBuffer(Queues.<String>get(properties.outboundBuffer()).get());
    }

    int attempt() {
        return attempt;
    }

    long epoch() {
        return epoch;
    }

    boolean withCredentials() {
        return credentials != null;
    }

    boolean isOpen() {
        return state == State.OPEN && !closedLocally;
    }

    boolean closedLocally() {
        return closedLocally;
    }

    boolean logoutRequested() {
        return logoutRequested;
    }

    /** Completes once the socket is closed and its end handled by the session. */
    Mono<Void> done() {
        return done.asMono();
    }

    void markDone() {
        done.tryEmitEmpty();
    }

    /**
     * Opens the socket, says {@code hello} and handles frames until it closes; completes with how it ended, or empty
     * when it was closed before it opened.
     */
    Mono<End> run() {
        return Mono.defer(() -> {
            if (closedLocally) {
                return Mono.empty();
            }
            emit(client.codec().write(hello()));
            return client.httpClient()
                    .websocket(client.websocketSpec())
                    .uri(properties.url())
                    .handle(this::handle)
                    // the handshake must finish in time; after it, the socket lives as long as it is read
                    .timeout(Mono.delay(properties.connectTimeout()), upgraded -> Mono.never())
                    .then()
                    .onErrorResume(e -> {
                        failure = e;
                        return Mono.empty();
                    })
                    .then(Mono.fromCallable(this::end));
        });
    }

    void attach(Disposable subscription) {
        boolean dispose;
        synchronized (this) {
            this.subscription = subscription;
            dispose = closedLocally && connection == null;
        }
        if (dispose) {
            subscription.dispose();
        }
    }

    private Publisher<Object> handle(WebsocketInbound in, WebsocketOutbound out) {
        in.withConnection(this::connected);
        in.receiveCloseStatus().subscribe(status -> closeStatus = status, e -> { });
        Mono<Void> received = in.aggregateFrames(MAX_FRAME).receive().asString()
                .mapNotNull(this::decode)
                .filter(this::needsListener)
                .concatMap(this::toListener, ORDERED_PREFETCH)
                .then()
                .onErrorResume(e -> {
                    failure = e;
                    return Mono.empty();
                })
                .doFinally(signal -> completeOutbound());
        Mono<Void> written = out.sendString(outbound.asFlux()).then()
                .then(Mono.defer(() -> closedLocally ? out.sendClose(1000, "closed by device") : Mono.<Void>empty()))
                .onErrorResume(e -> Mono.empty());
        if (closedLocally) {
            completeOutbound();
        }
        return Flux.concat(Mono.just(UPGRADED), Mono.when(received, written));
    }

    private void connected(Connection connection) {
        synchronized (this) {
            this.connection = connection;
        }
        // a half-open TCP connection shows no error; the server pings every 20 s, so silence means it is gone
        connection.onReadIdle(properties.idleTimeout().toMillis(), () -> {
            log.warn("Linked session {}: no frame for {}, closing the socket", sessionId, properties.idleTimeout());
            connection.dispose();
        });
    }

    private DeviceFrame.Hello hello() {
        LinkedCredentials login = credentials;
        return new DeviceFrame.Hello(PROTOCOL, properties.clientName(),
                login == null ? null : new DeviceFrame.Credentials(login.deviceId(), login.secret()));
    }

    private @Nullable ServerFrame decode(String text) {
        try {
            return client.codec().read(text);
        }
        catch (IllegalArgumentException e) {
            log.warn("Linked session {}: ignoring a frame: {}", sessionId, e.getMessage());
            return null;
        }
    }

    /** Handles control frames at once; true for the frames that go to the listener, in order. */
    private boolean needsListener(ServerFrame frame) {
        switch (frame) {
            case ServerFrame.Ping ping -> emit(client.codec().write(new DeviceFrame.Pong(ping.id())));
            case ServerFrame.Pong pong -> pong(pong);
            case ServerFrame.Ack ack -> ack(ack);
            case ServerFrame.Error error -> error(error);
            case ServerFrame.Disconnect frameOfClose -> disconnect = frameOfClose;
            case ServerFrame.Unknown unknown -> log.debug("Linked session {}: ignoring a frame of unknown type",
                    sessionId);
            default -> {
                return true;
            }
        }
        return false;
    }

    private Mono<Void> toListener(ServerFrame frame) {
        if (closedLocally) {
            // the session is going away: unacknowledged, these frames come again on its next connection
            return Mono.empty();
        }
        Mono<Void> work = Mono.defer(() -> switch (frame) {
            case ServerFrame.Qr qr -> qr(qr);
            case ServerFrame.PairingCode code -> pairingCode(code);
            case ServerFrame.PairSuccess success -> paired(success);
            case ServerFrame.Open open -> opened(open);
            case ServerFrame.Message message -> message(message);
            case ServerFrame.Receipt receipt -> receipt(receipt);
            case ServerFrame.Notice notice -> listener("notice", () -> session.listener().notice(sessionId,
                    notice.kind() == null ? "" : notice.kind(), notice.reason() == null ? "" : notice.reason()));
            default -> Mono.<Void>empty();
        });
        return work.onErrorResume(e -> {
            log.warn("Linked session {}: {} not handled: {}", sessionId, frame.getClass().getSimpleName(),
                    e.toString());
            return Mono.empty();
        });
    }

    private Mono<Void> qr(ServerFrame.Qr qr) {
        if (qr.ref() == null || qr.expiresAt() == null) {
            throw new IllegalArgumentException("a qr frame needs ref and expiresAt");
        }
        state = State.PAIRING;
        int number = qr.attempt() == null ? 0 : qr.attempt();
        log.debug("Linked session {}: QR ref #{} until {}", sessionId, number, qr.expiresAt());
        return listener("qr", () -> session.listener().qr(sessionId, qr.ref(), number, qr.expiresAt()));
    }

    private Mono<Void> pairingCode(ServerFrame.PairingCode frame) {
        if (frame.code() == null || frame.phoneNumber() == null || frame.expiresAt() == null) {
            throw new IllegalArgumentException("a pairing-code frame needs code, phoneNumber and expiresAt");
        }
        String phone = WaNumbers.toE164(frame.phoneNumber());
        log.info("Linked session {}: pairing code for {} until {}", sessionId, Pii.phone(phone), frame.expiresAt());
        return Mono.defer(() -> session.listener().pairingCode(sessionId, frame.code(), phone, frame.expiresAt()))
                .doOnError(e -> {
                    MonoSink<Void> request = takePairingRequest();
                    if (request != null) {
                        request.error(e);
                    }
                })
                .doOnSuccess(nothing -> {
                    MonoSink<Void> request = takePairingRequest();
                    if (request != null) {
                        request.success();
                    }
                });
    }

    private Mono<Void> paired(ServerFrame.PairSuccess frame) {
        ServerFrame.Credentials wire = frame.credentials();
        if (wire == null || wire.deviceId() == null || wire.secret() == null || frame.phoneNumber() == null) {
            throw new IllegalArgumentException("a pair-success frame needs credentials and phoneNumber");
        }
        LinkedCredentials paired = new LinkedCredentials(wire.deviceId(), wire.secret());
        String phone = WaNumbers.toE164(frame.phoneNumber());
        // kept at once: the 515 that follows makes the session reconnect with them
        session.paired(paired);
        log.info("Linked session {}: paired as {} for {}", sessionId, paired.deviceId(), Pii.phone(phone));
        return listener("paired", () -> session.listener().paired(sessionId, paired, phone, frame.pushName()));
    }

    private Mono<Void> opened(ServerFrame.Open frame) {
        if (frame.deviceId() == null || frame.phoneNumber() == null) {
            throw new IllegalArgumentException("an open frame needs deviceId and phoneNumber");
        }
        state = State.OPEN;
        session.opened();
        String phone = WaNumbers.toE164(frame.phoneNumber());
        int pending = frame.pending() == null ? 0 : frame.pending();
        log.info("Linked session {}: open as {} for {}, {} pending", sessionId, frame.deviceId(), Pii.phone(phone),
                pending);
        return listener("opened", () -> session.listener().opened(sessionId, frame.deviceId(), phone,
                frame.pushName(), pending));
    }

    private Mono<Void> message(ServerFrame.Message frame) {
        LinkedInboundMessage message;
        try {
            message = LinkedInboundMessage.of(frame);
        }
        catch (IllegalArgumentException e) {
            return unusable(frame.deliveryId(), e);
        }
        return deliver(message.deliveryId(), () -> session.listener().message(sessionId, message));
    }

    private Mono<Void> receipt(ServerFrame.Receipt frame) {
        LinkedReceipt receipt;
        try {
            receipt = LinkedReceipt.of(frame);
        }
        catch (IllegalArgumentException e) {
            return unusable(frame.deliveryId(), e);
        }
        return deliver(receipt.deliveryId(), () -> session.listener().receipt(sessionId, receipt));
    }

    /** Hands a redeliverable frame to the listener and acknowledges it once that succeeded (or it was seen before). */
    private Mono<Void> deliver(String deliveryId, Supplier<Mono<Void>> callback) {
        if (session.alreadyHandled(deliveryId)) {
            acknowledge(deliveryId);
            return Mono.empty();
        }
        return Mono.defer(callback)
                .then(Mono.<Void>fromRunnable(() -> {
                    session.handled(deliveryId);
                    acknowledge(deliveryId);
                }))
                .onErrorResume(e -> {
                    log.warn("Linked session {}: frame {} not handed on, left unacknowledged for redelivery: {}",
                            sessionId, deliveryId, e.toString());
                    return Mono.empty();
                });
    }

    /**
     * A frame this version can never use (fields missing, unknown receipt status): acknowledged so the server does not
     * deliver it again on every connection, after a warning.
     */
    private Mono<Void> unusable(@Nullable String deliveryId, IllegalArgumentException e) {
        log.warn("Linked session {}: dropping unusable frame {}: {}", sessionId, deliveryId, e.getMessage());
        if (deliveryId != null) {
            acknowledge(deliveryId);
        }
        return Mono.empty();
    }

    private Mono<Void> listener(String callback, Supplier<Mono<Void>> call) {
        return Mono.defer(call).onErrorResume(e -> {
            log.warn("Linked session {}: listener.{} failed: {}", sessionId, callback, e.toString());
            return Mono.empty();
        });
    }

    // ---- delivery acks

    private void acknowledge(String deliveryId) {
        boolean flushNow;
        synchronized (this) {
            if (outboundDone) {
                // the socket is gone: the server delivers the frame again and the session acknowledges it then
                return;
            }
            if (acks == null) {
                acks = new ArrayList<>(8);
            }
            acks.add(deliveryId);
            flushNow = acks.size() >= properties.ackBatchSize();
            if (!flushNow && !ackQueued) {
                ackQueued = true;
                client.ackFlusher().schedule(this);
            }
        }
        if (flushNow) {
            flushAcks();
        }
    }

    /** Writes the pending acknowledgements in frames of at most {@code ack-batch-size} ids. */
    void flushAcks() {
        synchronized (this) {
            ackQueued = false;
            if (acks == null || outboundDone) {
                acks = null;
                return;
            }
            while (!acks.isEmpty()) {
                List<String> batch = acks.subList(0, Math.min(properties.ackBatchSize(), acks.size()));
                if (!emit(client.codec().write(new DeviceFrame.DeliveryAck(List.copyOf(batch))))) {
                    break;
                }
                batch.clear();
            }
            if (acks.isEmpty()) {
                acks = null;
                return;
            }
            // the outbound buffer is full: retry on the next tick, keeping at most one frame's worth of ids
            if (acks.size() > LinkedProperties.MAX_ACK_BATCH) {
                acks.subList(0, acks.size() - LinkedProperties.MAX_ACK_BATCH).clear();
            }
            ackQueued = true;
            client.ackFlusher().schedule(this);
        }
    }

    // ---- sends, pings, pairing codes

    Mono<SendResult> send(String clientRef, DeviceFrame.Send frame) {
        Mono<SendResult> answer = Mono.create(sink -> {
            if (!isOpen()) {
                sink.error(new ConnectionNotOpenException(sessionId));
                return;
            }
            if (sends.size() >= properties.maxInFlightSends()) {
                sink.success(new SendResult.Rejected(BUSY, "too many sends waiting for an ack on this connection",
                        true));
                return;
            }
            if (sends.putIfAbsent(clientRef, sink) != null) {
                sink.error(new IllegalStateException("A send with clientRef " + clientRef
                        + " is already waiting for its ack on session " + sessionId));
                return;
            }
            sink.onDispose(() -> sends.remove(clientRef, sink));
            if (!emit(client.codec().write(frame))) {
                if (outboundClosed()) {
                    sink.error(new ConnectionNotOpenException(sessionId));
                }
                else {
                    sink.success(new SendResult.Rejected(BUSY, "the connection's outbound buffer is full", true));
                }
                return;
            }
            if (state == State.CLOSED) {
                // closed while this was registered: terminate() may have missed it
                sink.error(unknownOutcome(clientRef));
            }
        });
        Duration timeout = properties.ackTimeout();
        return answer.timeout(timeout, Mono.error(() -> new TimeoutException("No ack for send " + clientRef
                + " of linked session " + sessionId + " within " + timeout + "; its outcome is unknown")));
    }

    private void ack(ServerFrame.Ack ack) {
        if (ack.clientRef() == null) {
            return;
        }
        SendResult result = OutboundFrames.result(ack, Instant.now());
        MonoSink<SendResult> sink = sends.remove(ack.clientRef());
        if (sink == null) {
            log.info("Linked session {}: late ack for send {} ({})", sessionId, ack.clientRef(),
                    result instanceof SendResult.Accepted ? "accepted" : "rejected");
            if (result instanceof SendResult.Accepted accepted) {
                session.lateAccepted(ack.clientRef(), accepted);
            }
            return;
        }
        sink.success(result);
    }

    /** Writes {@code read} frames for these ids; there is no answer to wait for. */
    Mono<Void> read(List<String> waMessageIds) {
        return Mono.defer(() -> {
            if (!isOpen()) {
                return Mono.error(new ConnectionNotOpenException(sessionId));
            }
            for (int from = 0; from < waMessageIds.size(); from += MAX_READ_IDS) {
                List<String> batch = waMessageIds.subList(from, Math.min(from + MAX_READ_IDS, waMessageIds.size()));
                if (!emit(client.codec().write(new DeviceFrame.Read(List.copyOf(batch))))) {
                    return Mono.error(outboundClosed() ? new ConnectionNotOpenException(sessionId)
                            : new IllegalStateException("The outbound buffer of linked session " + sessionId
                                    + " is full; read receipts dropped"));
                }
            }
            return Mono.empty();
        });
    }

    Mono<Duration> ping() {
        Mono<Duration> pong = Mono.create(sink -> {
            if (!isOpen()) {
                sink.error(new ConnectionNotOpenException(sessionId));
                return;
            }
            if (pings.size() >= MAX_PINGS) {
                sink.error(new IllegalStateException("Too many pings waiting on linked session " + sessionId));
                return;
            }
            String id;
            synchronized (this) {
                id = "device-" + (++pingIds);
            }
            pings.put(id, new PendingPing(sink, System.nanoTime()));
            sink.onDispose(() -> pings.remove(id));
            if (!emit(client.codec().write(new DeviceFrame.Ping(id)))) {
                sink.error(new ConnectionNotOpenException(sessionId));
            }
        });
        Duration timeout = properties.pingTimeout();
        return pong.timeout(timeout, Mono.error(() -> new TimeoutException("No pong on linked session " + sessionId
                + " within " + timeout)));
    }

    private void pong(ServerFrame.Pong pong) {
        PendingPing ping = pong.id() == null ? null : pings.remove(pong.id());
        if (ping != null) {
            ping.sink().success(Duration.ofNanos(System.nanoTime() - ping.startedNanos()));
        }
    }

    Mono<Void> requestPairingCode(String digits) {
        Mono<Void> code = Mono.create(sink -> {
            MonoSink<Void> previous;
            synchronized (this) {
                previous = pairingRequest;
                pairingRequest = sink;
            }
            if (previous != null) {
                previous.error(new IllegalStateException("Replaced by a newer pairing-code request"));
            }
            sink.onDispose(() -> {
                synchronized (this) {
                    if (pairingRequest == sink) {
                        pairingRequest = null;
                    }
                }
            });
            if (!emit(client.codec().write(new DeviceFrame.PairingCodeRequest(digits)))) {
                sink.error(new IllegalStateException("The connection of linked session " + sessionId
                        + " is closed"));
            }
        });
        Duration timeout = properties.ackTimeout();
        return code.timeout(timeout, Mono.error(() -> new TimeoutException("No pairing code for linked session "
                + sessionId + " within " + timeout)));
    }

    private synchronized @Nullable MonoSink<Void> takePairingRequest() {
        MonoSink<Void> request = pairingRequest;
        pairingRequest = null;
        return request;
    }

    private void error(ServerFrame.Error error) {
        int code = error.code() == null ? 0 : error.code();
        MonoSink<Void> request = code == 428 || code == 400 ? takePairingRequest() : null;
        if (request == null) {
            log.warn("Linked session {}: the server could not act on a frame: {} {}", sessionId, code,
                    error.reason());
        }
        else if (code == 428) {
            request.error(new IllegalStateException("WhatsApp refused the pairing-code request (428 "
                    + error.reason() + "): a code can be asked for only while the session shows a QR code, "
                    + "before it is paired"));
        }
        else {
            request.error(new IllegalArgumentException("WhatsApp refused the pairing-code request: "
                    + error.reason()));
        }
    }

    /** Asks the server to unlink this device; it answers {@code disconnect} 401 and closes. */
    Mono<Void> logout() {
        logoutRequested = true;
        if (!emit(DeviceFrame.LOGOUT)) {
            return Mono.error(new ConnectionNotOpenException(sessionId));
        }
        return done();
    }

    // ---- closing

    /**
     * Closes the socket from this side: a WebSocket close, then the TCP connection is cut if the server does not
     * answer within {@code close-timeout}. Frames not yet handed to the listener are left unacknowledged.
     */
    Mono<Void> closeLocally() {
        closedLocally = true;
        Disposable toCancel;
        synchronized (this) {
            toCancel = connection == null ? subscription : null;
        }
        if (toCancel != null) {
            // not connected yet: nothing to close politely
            toCancel.dispose();
        }
        else {
            completeOutbound();
            Mono.delay(properties.closeTimeout()).subscribe(tick -> cancel());
        }
        return done();
    }

    private void cancel() {
        Disposable toCancel;
        synchronized (this) {
            toCancel = subscription;
        }
        if (toCancel != null) {
            toCancel.dispose();
        }
    }

    /** Fails whatever still waits on this socket; called once it has ended. */
    void terminate() {
        state = State.CLOSED;
        completeOutbound();
        sends.forEach((clientRef, sink) -> sink.error(unknownOutcome(clientRef)));
        pings.forEach((id, ping) -> ping.sink().error(new ConnectionNotOpenException(sessionId)));
        MonoSink<Void> request = takePairingRequest();
        if (request != null) {
            request.error(new IllegalStateException("The connection of linked session " + sessionId
                    + " closed before the pairing code arrived"));
        }
    }

    private TimeoutException unknownOutcome(String clientRef) {
        return new TimeoutException("The connection of linked session " + sessionId
                + " closed before the ack of send " + clientRef + "; its outcome is unknown");
    }

    private End end() {
        ServerFrame.Disconnect frame = disconnect;
        if (frame != null && frame.code() != null) {
            return new End(DisconnectReason.of(frame.code(), frame.reason()), frame.reason());
        }
        WebSocketCloseStatus status = closeStatus;
        if (status != null && status.code() >= 4000 && status.code() < 5000) {
            return new End(DisconnectReason.of(status.code(), status.reasonText()), status.reasonText());
        }
        Throwable error = failure;
        return new End(DisconnectReason.CONNECTION_CLOSED, error == null ? "socket closed"
                : "socket closed: " + error.getClass().getSimpleName() + ": " + error.getMessage());
    }

    // ---- the outbound sink

    private synchronized boolean emit(String frame) {
        if (outboundDone) {
            return false;
        }
        return outbound.tryEmitNext(frame).isSuccess();
    }

    private synchronized boolean outboundClosed() {
        return outboundDone;
    }

    private synchronized void completeOutbound() {
        if (!outboundDone) {
            outboundDone = true;
            acks = null;
            outbound.tryEmitComplete();
        }
    }
}
