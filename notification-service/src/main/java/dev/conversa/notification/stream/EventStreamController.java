package dev.conversa.notification.stream;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Flux;

/**
 * {@code GET /api/v1/events/stream}: the caller's events as Server-Sent Events (id = replay log entry id, event =
 * name, data = compact JSON), replaying what it missed after {@code Last-Event-ID}, with heartbeat comments.
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
    Flux<ServerSentEvent<String>> stream(ConversaPrincipal caller,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
        StreamId after = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            after = StreamId.parse(lastEventId.trim()).orElseThrow(() -> ApiException.badRequest(
                    "Last-Event-ID must be an id this stream sent, e.g. 1700000000000-0"));
        }
        Flux<ServerSentEvent<String>> events = streams.events(caller, after).map(EventStreamController::sse);
        // the first comment at once: it sends the response headers, so a client knows it is connected
        Flux<ServerSentEvent<String>> heartbeats = Flux.interval(Duration.ZERO, properties.heartbeat())
                .map(tick -> ServerSentEvent.<String>builder().comment("heartbeat").build());
        return Flux.merge(events, heartbeats);
    }

    private static ServerSentEvent<String> sse(ClientEvent event) {
        ServerSentEvent.Builder<String> builder = ServerSentEvent.builder(event.data()).event(event.name());
        return EventStreams.RESET.equals(event.name()) ? builder.build() : builder.id(event.id().toString()).build();
    }
}
