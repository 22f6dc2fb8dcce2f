package dev.conversa.notification.stream;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;

/** {@code GET /api/v1/events/stream}: the caller's live events as Server-Sent Events, with heartbeat comments. */
@RestController
class EventStreamController {

    private final EventHub hub;
    private final StreamProperties properties;

    EventStreamController(EventHub hub, StreamProperties properties) {
        this.hub = hub;
        this.properties = properties;
    }

    @GetMapping(path = "/api/v1/events/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    Flux<ServerSentEvent<JsonNode>> stream(ConversaPrincipal caller) {
        Flux<ServerSentEvent<JsonNode>> events = hub.subscribe(caller)
                .map(event -> ServerSentEvent.builder(event.data()).id(event.id()).event(event.name()).build());
        Flux<ServerSentEvent<JsonNode>> heartbeats = Flux.interval(properties.heartbeat())
                .map(tick -> ServerSentEvent.<JsonNode>builder().comment("heartbeat").build());
        return Flux.merge(events, heartbeats);
    }
}
