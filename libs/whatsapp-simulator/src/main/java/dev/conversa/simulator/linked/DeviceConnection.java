package dev.conversa.simulator.linked;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;
import reactor.util.concurrent.Queues;

/**
 * One device's WebSocket: its state in the protocol and its outbound frames.
 *
 * <p>Frames go out through one unicast sink feeding {@code session.send(…)}. Its queue grows in small chunks, so an
 * idle connection costs a few hundred bytes, and is bounded by admission: message frames are admitted while fewer
 * than {@code outboundBuffer} frames wait (the rest wait in the number's {@link LinkedAccount} queue), other frames
 * while fewer than four times as many wait; the final {@code disconnect} is always admitted.
 *
 * <p>Locking: the fields marked "guarded by this" change under {@code synchronized (connection)}; a thread holding it
 * may take its account's lock and then the write lock, never the other way round.
 */
final class DeviceConnection {

    enum State {
        /** Connected; {@code hello} not yet received. */
        AWAITING_HELLO,
        /** Showing QR refs and perhaps a pairing code. */
        PAIRING,
        /** The phone accepted it; {@code pair-success} sent, closing with 515. */
        PAIRED,
        /** Logged in with credentials. */
        OPEN,
        /** The simulator is closing it. */
        CLOSING,
        /** Gone. */
        CLOSED
    }

    private final String id;
    private final Instant connectedAt;
    private final @Nullable WebSocketSession session;
    private final Sinks.Many<String> sink = Sinks.many().unicast()
            .onBackpressureBuffer(Queues.<String>unbounded(32).get());
    private final AtomicInteger buffered = new AtomicInteger();
    private final Object writeLock = new Object();
    private final int messageLimit;
    private final int frameLimit;
    private final int refillMark;
    private volatile @Nullable LinkedAccount account;

    private volatile State state = State.AWAITING_HELLO;
    private volatile @Nullable LinkedDevice device;

    // guarded by this
    long helloDeadline;
    @Nullable String client;
    /** The QR ref shown now; {@code attempt} counts refs shown so far. */
    @Nullable String ref;
    int attempt;
    /** Before the first QR: when to show it; afterwards: when the current ref expires. */
    long refDeadline;
    @Nullable String pairingCode;
    @Nullable String pairingPhone;
    long pairingCodeDeadline;
    long nextPingAt;
    @Nullable String pingId;
    long pingDeadline;
    int pings;
    @Nullable Disconnect disconnect;
    long closeDeadline;

    DeviceConnection(String id, Instant connectedAt, @Nullable WebSocketSession session, int outboundBuffer) {
        this.id = id;
        this.connectedAt = connectedAt;
        this.session = session;
        this.messageLimit = outboundBuffer;
        this.frameLimit = outboundBuffer * 4;
        this.refillMark = outboundBuffer / 2;
    }

    String id() {
        return id;
    }

    Instant connectedAt() {
        return connectedAt;
    }

    State state() {
        return state;
    }

    /** Call holding this connection's lock. */
    void state(State next) {
        this.state = next;
    }

    @Nullable LinkedDevice device() {
        return device;
    }

    /** Call holding this connection's lock. */
    void open(LinkedDevice linked) {
        this.device = linked;
        this.state = State.OPEN;
    }

    void account(LinkedAccount value) {
        this.account = value;
    }

    /** Frames waiting in the send buffer. */
    int buffered() {
        return buffered.get();
    }

    /** The frames for {@code session.send(…)}; completes after the {@code disconnect} frame. */
    Flux<String> frames() {
        return sink.asFlux().doOnNext(frame -> sent());
    }

    /** Admits a control or response frame; false when the buffer is full or the connection is closing. */
    boolean offer(String frame) {
        return buffered.get() < frameLimit && emit(frame);
    }

    /** Admits a message frame; false when the buffer already holds {@code outboundBuffer} frames. */
    boolean offerMessage(String frame) {
        return buffered.get() < messageLimit && emit(frame);
    }

    /** Sends {@code lastFrame} (if any) and then completes the outbound stream. */
    void finish(@Nullable String lastFrame) {
        synchronized (writeLock) {
            if (lastFrame != null) {
                buffered.incrementAndGet();
                if (sink.tryEmitNext(lastFrame).isFailure()) {
                    buffered.decrementAndGet();
                }
            }
            sink.tryEmitComplete();
        }
    }

    /** The WebSocket close status: {@code 4000 + code} after a {@code disconnect}, else 1000. */
    CloseStatus closeStatus() {
        Disconnect reason = disconnect;
        return reason == null ? CloseStatus.NORMAL : reason.closeStatus();
    }

    /** Cuts a connection whose last frames did not drain within the close timeout. */
    void forceClose() {
        if (session != null) {
            session.close(closeStatus()).subscribe(null, error -> { });
        }
    }

    private boolean emit(String frame) {
        synchronized (writeLock) {
            buffered.incrementAndGet();
            if (sink.tryEmitNext(frame).isSuccess()) {
                return true;
            }
            buffered.decrementAndGet();
            return false;
        }
    }

    /** Runs on the consumer side, maybe inside {@link #emit}: takes no lock, so a refill is scheduled. */
    private void sent() {
        if (buffered.decrementAndGet() == refillMark) {
            LinkedAccount owner = account;
            if (owner != null && owner.queued() > 0) {
                Schedulers.parallel().schedule(owner::drain);
            }
        }
    }

    @Override
    public String toString() {
        return id + "[" + state + "]";
    }
}
