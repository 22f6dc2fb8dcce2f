package dev.conversa.session.linked;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.session.reconnect.ReconnectPolicy;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Flux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * Opens linked-device sessions: {@link #open} returns a {@link LinkedDeviceSession} at once, which connects to
 * {@code conversa.session.linked.url} in the background and stays connected as the {@link ReconnectPolicy} says until
 * it is closed, logged out or stopped.
 *
 * <p>All sessions share one Reactor Netty {@link HttpClient} on one small event-loop group (one thread per core):
 * 5,000 sessions are 5,000 sockets on a few threads, not 5,000 threads. The client uses no connection pool (each
 * WebSocket is its own connection; a pool would cap them per host), and one {@link AckFlusher} tick serves every
 * session's acknowledgements.
 */
@Component
public class LinkedDeviceClient implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LinkedDeviceClient.class);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(5);

    private final LinkedProperties properties;
    private final ReconnectPolicy policy;
    private final FrameCodec codec = new FrameCodec();
    private final LoopResources loops;
    private final HttpClient http;
    private final WebsocketClientSpec websocketSpec;
    private final AckFlusher ackFlusher;
    private final LinkedMediaUploads mediaUploads;
    private final ConcurrentMap<UUID, LinkedDeviceSession> sessions = new ConcurrentHashMap<>();

    public LinkedDeviceClient(LinkedProperties properties, ReconnectPolicy policy) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.loops = LoopResources.create("linked-device", LoopResources.DEFAULT_IO_WORKER_COUNT, true);
        this.http = HttpClient.create(ConnectionProvider.newConnection())
                .runOn(loops)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, properties.connectTimeout().toMillis()));
        this.websocketSpec = WebsocketClientSpec.builder()
                .maxFramePayloadLength(DeviceSocket.MAX_FRAME)
                .build();
        this.ackFlusher = new AckFlusher(properties.ackFlushInterval());
        this.mediaUploads = new LinkedMediaUploads(http, properties);
    }

    /**
     * Starts a session: with {@code credentials} it logs in, without it pairs (the listener gets QR refs). Returns at
     * once; the listener hears {@code connecting} next.
     *
     * @throws IllegalStateException when a session with this id is open on this client already
     */
    public LinkedDeviceSession open(UUID sessionId, @Nullable LinkedCredentials credentials,
            LinkedSessionListener listener) {
        LinkedDeviceSession session = new LinkedDeviceSession(sessionId, credentials, listener, this);
        remember(session);
        session.start();
        return session;
    }

    /** The sessions opened and not closed. */
    public int openSessions() {
        return sessions.size();
    }

    /** Closes every session (without logging out) and releases the event loops; blocks up to 5 s. */
    @Override
    public void close() {
        try {
            Flux.fromIterable(List.copyOf(sessions.values()))
                    .flatMap(LinkedDeviceSession::close)
                    .then()
                    .block(SHUTDOWN_WAIT);
        }
        catch (RuntimeException e) {
            log.warn("Linked sessions not all closed within {}: {}", SHUTDOWN_WAIT, e.toString());
        }
        ackFlusher.dispose();
        loops.disposeLater(Duration.ZERO, SHUTDOWN_WAIT).block(SHUTDOWN_WAIT.plusSeconds(1));
    }

    // ---- shared by the sessions

    LinkedProperties properties() {
        return properties;
    }

    ReconnectPolicy policy() {
        return policy;
    }

    FrameCodec codec() {
        return codec;
    }

    HttpClient httpClient() {
        return http;
    }

    WebsocketClientSpec websocketSpec() {
        return websocketSpec;
    }

    LinkedMediaUploads mediaUploads() {
        return mediaUploads;
    }

    AckFlusher ackFlusher() {
        return ackFlusher;
    }

    void remember(LinkedDeviceSession session) {
        LinkedDeviceSession other = sessions.putIfAbsent(session.sessionId(), session);
        if (other != null && other != session) {
            throw new IllegalStateException("Linked session " + session.sessionId()
                    + " is open on this instance already; close it first");
        }
    }

    void forget(LinkedDeviceSession session) {
        sessions.remove(session.sessionId(), session);
    }
}
