package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A device speaking protocol v1 to the simulator, for tests: sends frames, queues the frames it receives, answers
 * pings by itself unless told not to, and records the close status.
 *
 * <p>With {@link Acks#AUTO} (the default, like a real device) it acknowledges every frame that carries a
 * {@code deliveryId} with a {@code delivery.ack} as soon as it arrives; with {@link Acks#MANUAL} the test acknowledges
 * with {@link #ack}.
 */
final class TestDevice implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(5);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** How the device acknowledges {@code message} and {@code receipt} frames. */
    enum Acks {
        /** A {@code delivery.ack} for every frame with a {@code deliveryId}, as soon as it arrives. */
        AUTO,
        /** Only what the test acknowledges with {@link #ack}. */
        MANUAL
    }

    private final BlockingDeque<JsonNode> frames = new LinkedBlockingDeque<>();
    private final Map<JsonNode, String> texts = Collections.synchronizedMap(new IdentityHashMap<>());
    private final Acks acks;
    private final AtomicInteger syncs = new AtomicInteger();
    private final Sinks.Many<String> outbound = Sinks.many().unicast().onBackpressureBuffer();
    private final CompletableFuture<WebSocketCloseStatus> closed = new CompletableFuture<>();
    private final CompletableFuture<Connection> connection = new CompletableFuture<>();
    private final AtomicInteger pingsAnswered = new AtomicInteger();
    private final Disposable subscription;
    private volatile boolean answerPings = true;

    private TestDevice(URI url, Acks acks) {
        this.acks = acks;
        subscription = HttpClient.create()
                .websocket()
                .uri(url)
                .handle((in, out) -> {
                    in.withConnection(connection::complete);
                    in.receiveCloseStatus().subscribe(closed::complete, closed::completeExceptionally,
                            () -> closed.complete(null));
                    Mono<Void> receive = in.aggregateFrames().receive().asString()
                            .doOnNext(this::received)
                            .then()
                            .doFinally(signal -> outbound.tryEmitComplete());
                    Mono<Void> send = out.sendString(outbound.asFlux()).then();
                    return Mono.when(receive, send);
                })
                .subscribe(null, closed::completeExceptionally, () -> closed.complete(null));
    }

    static TestDevice connect(URI url) {
        return new TestDevice(url, Acks.AUTO);
    }

    /** A connection that said hello without credentials: the simulator will show QR refs. */
    static TestDevice pairing(URI url) {
        TestDevice device = connect(url);
        device.send(Map.of("type", "hello", "protocol", 1, "client", "test-device/1"));
        return device;
    }

    /** A connection that said hello with credentials. */
    static TestDevice withCredentials(URI url, JsonNode credentials) {
        return withCredentials(url, credentials, Acks.AUTO);
    }

    /** A connection that said hello with credentials, acknowledging frames as {@code acks} says. */
    static TestDevice withCredentials(URI url, JsonNode credentials, Acks acks) {
        TestDevice device = new TestDevice(url, acks);
        device.send(Map.of("type", "hello", "protocol", 1, "client", "test-device/1", "credentials",
                Map.of("deviceId", credentials.path("deviceId").asString(),
                        "secret", credentials.path("secret").asString())));
        return device;
    }

    void answerPings(boolean value) {
        this.answerPings = value;
    }

    int pingsAnswered() {
        return pingsAnswered.get();
    }

    /** Sends one {@code delivery.ack} for these ids. */
    void ack(String... deliveryIds) {
        ack(List.of(deliveryIds));
    }

    void ack(List<String> deliveryIds) {
        send(Map.of("type", "delivery.ack", "deliveryIds", deliveryIds));
    }

    /**
     * Returns once the simulator has handled every frame sent before: a {@code ping} goes out and its {@code pong}
     * comes back (frames of one connection are handled in order). Frames that arrive meanwhile stay queued.
     */
    void sync() {
        String id = "sync-" + syncs.incrementAndGet();
        send(Map.of("type", "ping", "id", id));
        List<JsonNode> other = new ArrayList<>();
        while (true) {
            JsonNode frame = next();
            if ("pong".equals(frame.path("type").asString()) && id.equals(frame.path("id").asString())) {
                break;
            }
            other.add(frame);
        }
        for (int i = other.size() - 1; i >= 0; i--) {
            frames.addFirst(other.get(i));
        }
    }

    /** The exact text the simulator sent for {@code frame} (one returned by this device). */
    String text(JsonNode frame) {
        return texts.get(frame);
    }

    void send(Map<String, ?> frame) {
        send(JSON.writeValueAsString(frame));
    }

    void send(String text) {
        outbound.emitNext(text, Sinks.EmitFailureHandler.busyLooping(Duration.ofSeconds(1)));
    }

    /** The next frame, whatever its type (pings answered automatically are not queued). */
    JsonNode next() {
        return next(WAIT);
    }

    JsonNode next(Duration wait) {
        try {
            JsonNode frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                fail("No frame within " + wait + (closed.isDone() ? "; closed with " + describe(closed.getNow(null))
                        : ""));
            }
            return frame;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame, which must be of {@code type}. */
    JsonNode expect(String type) {
        JsonNode frame = next();
        assertThat(frame.path("type").asString()).as("type of %s", frame).isEqualTo(type);
        return frame;
    }

    /** Skips frames until one of {@code type}; answers the skipped ones. */
    List<JsonNode> skipUntil(String type) {
        List<JsonNode> skipped = new ArrayList<>();
        while (true) {
            JsonNode frame = next();
            if (frame.path("type").asString().equals(type)) {
                skipped.add(frame);
                return skipped;
            }
            skipped.add(frame);
        }
    }

    /** No frame arrives within {@code wait}. */
    void expectSilence(Duration wait) {
        try {
            JsonNode frame = frames.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(frame).as("frame within %s", wait).isNull();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The next frame is {@code disconnect} with {@code code}, then the socket closes with {@code 4000 + code}. */
    JsonNode expectDisconnect(int code) {
        JsonNode disconnect = expect("disconnect");
        assertThat(disconnect.path("code").asInt()).as("code of %s", disconnect).isEqualTo(code);
        assertThat(closeStatus().code()).isEqualTo(4000 + code);
        return disconnect;
    }

    WebSocketCloseStatus closeStatus() {
        try {
            WebSocketCloseStatus status = closed.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(status).as("close status").isNotNull();
            return status;
        }
        catch (Exception e) {
            throw new AssertionError("Not closed within " + WAIT, e);
        }
    }

    boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the TCP connection without a close frame, like a crashed process or a lost network. */
    void cut() {
        connection.join().dispose();
    }

    @Override
    public void close() {
        subscription.dispose();
        connection.thenAccept(Connection::dispose);
    }

    private void received(String text) {
        JsonNode frame = JSON.readTree(text);
        if (answerPings && "ping".equals(frame.path("type").asString())) {
            pingsAnswered.incrementAndGet();
            send(Map.of("type", "pong", "id", frame.path("id").asString()));
            return;
        }
        if (acks == Acks.AUTO && frame.hasNonNull("deliveryId")) {
            ack(frame.path("deliveryId").asString());
        }
        texts.put(frame, text);
        frames.add(frame);
    }

    private static String describe(WebSocketCloseStatus status) {
        return status == null ? "no status" : status.code() + " " + status.reasonText();
    }
}
