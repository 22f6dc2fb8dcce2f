package dev.conversa.notification.stream;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/events/stream}: the caller's events as Server-Sent Events (id = replay log entry id, event =
 * name, data = compact JSON), replaying what it missed after {@code Last-Event-ID}, with heartbeat comments.
 *
 * <p>Each event's frame is encoded once ({@link SseFrame}) and the same bytes are written, and flushed, to every
 * client that may see it; the response is written directly rather than through the SSE encoder, which would encode
 * it again per client.
 */
@RestController
class EventStreamController {

    private final EventStreams streams;
    private final StreamProperties properties;

    EventStreamController(EventStreams streams, StreamProperties properties) {
        this.streams = streams;
        this.properties = properties;
    }

    @GetMapping(path = "/api/v1/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Mono<Void> stream(ConversaPrincipal caller,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
            ServerHttpResponse response) {
        StreamId after = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            after = StreamId.parse(lastEventId.trim()).orElseThrow(() -> ApiException.badRequest(
                    "Last-Event-ID must be an id this stream sent, e.g. 1700000000000-0"));
        }
        response.getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
        response.getHeaders().setCacheControl(CacheControl.noStore());
        // proxies (nginx) must pass each frame on at once
        response.getHeaders().set("X-Accel-Buffering", "no");
        // queued on the connection's event loop: each frame is written there directly (EventHub)
        Flux<byte[]> events = streams.events(caller, after, EventLoops.of(response)).map(SseFrame::bytes);
        // the first comment at once: it sends the response headers, so a client knows it is connected
        Flux<byte[]> heartbeats = Flux.interval(Duration.ZERO, properties.heartbeat()).map(tick -> SseFrame.HEARTBEAT);
        DataBufferFactory buffers = response.bufferFactory();
        return response.writeAndFlushWith(Flux.merge(events, heartbeats)
                .map(bytes -> Mono.just(buffers.wrap(bytes))));
    }
}
