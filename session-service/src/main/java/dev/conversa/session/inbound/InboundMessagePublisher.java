package dev.conversa.session.inbound;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.web.id.Uuids;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Mono;

/**
 * Emits {@code conversa.message.received.v1} on {@code wa.message.inbound}, keyed by session, for every message a
 * transport receives. The event id is derived from (session, WhatsApp message id), so a message WhatsApp delivers
 * twice carries the same {@code ce_id} and consumers drop the repeat.
 */
@Component
public class InboundMessagePublisher {

    static final String SOURCE = "/session-service";
    private static final Logger log = LoggerFactory.getLogger(InboundMessagePublisher.class);

    private final EventPublisher publisher;

    InboundMessagePublisher(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public Mono<EventMetadata> publish(MessageReceived message) {
        String sessionId = message.sessionId().toString();
        EventMetadata metadata = EventMetadata.of(EventTypes.MESSAGE_RECEIVED, SOURCE, sessionId,
                        message.tenantId(), sessionId)
                .withId(eventId(message));
        return publisher.publish(Topics.WA_MESSAGE_INBOUND, metadata, message, sessionId)
                .doOnSuccess(ignored -> log.debug("Inbound {} from {} on session {} published as {}",
                        message.type().value(), Pii.phone(message.from()), sessionId, metadata.id()))
                .thenReturn(metadata);
    }

    static String eventId(MessageReceived message) {
        return Uuids.named("received", message.sessionId().toString(), message.waMessageId()).toString();
    }
}
