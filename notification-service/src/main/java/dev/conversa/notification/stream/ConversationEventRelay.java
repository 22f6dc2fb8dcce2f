package dev.conversa.notification.stream;

import java.util.Map;
import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Relays {@code crm.conversation.events} (binding {@code relayConversationEvents-in-0}) to the SSE clients of this
 * instance, under the event names the frontend knows.
 */
@Configuration(proxyBeanMethods = false)
class ConversationEventRelay {

    /** CloudEvents type → SSE event name. */
    static final Map<String, String> CLIENT_NAMES = Map.of(
            EventTypes.MESSAGE_STORED, "message.new",
            EventTypes.CONVERSATION_OPENED, "conversation.updated",
            EventTypes.CONVERSATION_UPDATED, "conversation.updated",
            EventTypes.CONVERSATION_CLOSED, "conversation.updated",
            EventTypes.CONVERSATION_ASSIGNED, "conversation.assigned");

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> relayConversationEvents(DurableConsumer consumer, EventHub hub) {
        return records -> consumer.consume("relayConversationEvents", records, JsonNode.class,
                event -> relay(event, hub));
    }

    private static Mono<Void> relay(EventEnvelope<JsonNode> event, EventHub hub) {
        String name = CLIENT_NAMES.get(event.type());
        if (name != null) {
            hub.publish(new ClientEvent(event.id(), name, event.tenantId(), event.metadata().subject(),
                    event.payload()));
        }
        return Mono.empty();
    }
}
