package dev.conversa.notification.stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.security.ConversaPrincipal;
import reactor.core.publisher.BufferOverflowStrategy;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Fans events out to the SSE clients connected to this instance. Each client gets a bounded buffer: a client that
 * falls behind by more than {@link StreamProperties#clientBuffer()} events is disconnected (it reconnects and
 * catches up through replay) instead of growing this instance's memory.
 */
@Component
public class EventHub {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    private final Sinks.Many<ClientEvent> sink = Sinks.many().multicast().directBestEffort();
    private final StreamProperties properties;

    EventHub(StreamProperties properties) {
        this.properties = properties;
    }

    /** Hands an event to every connected client that may see it; never blocks, never fails the caller. */
    public void publish(ClientEvent event) {
        Sinks.EmitResult result = sink.tryEmitNext(event);
        if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
            log.warn("Event {} not handed to SSE clients: {}", event.id(), result);
        }
    }

    /** The live events the caller may see: its tenant only. */
    public Flux<ClientEvent> subscribe(ConversaPrincipal caller) {
        return sink.asFlux()
                .filter(event -> event.tenantId().equals(caller.tenantId()))
                .onBackpressureBuffer(properties.clientBuffer(),
                        dropped -> log.info("Disconnecting slow SSE client of tenant {}", caller.tenantId()),
                        BufferOverflowStrategy.ERROR);
    }

    /** How many SSE clients are connected to this instance. */
    public int subscriberCount() {
        return sink.currentSubscriberCount();
    }
}
