package dev.conversa.notification.stream;

import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Relays {@code crm.conversation.events}, {@code wa.session.events} and {@code crm.campaign.events} (bindings
 * {@code relayConversationEvents-in-0}, {@code relaySessionEvents-in-0}, {@code relayCampaignEvents-in-0}, each in a
 * consumer group of this instance's own, from the latest offset) to browsers: each event browsers get is appended
 * to its tenant's replay log (once, whichever instance gets there first) and handed to this instance's clients.
 * A record is acknowledged once its entry is in Redis.
 */
@Configuration(proxyBeanMethods = false)
class EventRelay {

    @Bean
    EventTranslator eventTranslator(CloudEventCodec codec) {
        return new EventTranslator(codec.json());
    }

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> relayConversationEvents(DurableConsumer consumer,
            EventTranslator translator, EventLog log, EventHub hub) {
        return records -> consumer.consume("relayConversationEvents", records, JsonNode.class,
                event -> relay(event, translator, log, hub));
    }

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> relaySessionEvents(DurableConsumer consumer,
            EventTranslator translator, EventLog log, EventHub hub) {
        return records -> consumer.consume("relaySessionEvents", records, JsonNode.class,
                event -> relay(event, translator, log, hub));
    }

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> relayCampaignEvents(DurableConsumer consumer,
            EventTranslator translator, EventLog log, EventHub hub) {
        return records -> consumer.consume("relayCampaignEvents", records, JsonNode.class,
                event -> relay(event, translator, log, hub));
    }

    static Mono<Void> relay(EventEnvelope<JsonNode> event, EventTranslator translator, EventLog log, EventHub hub) {
        return Mono.justOrEmpty(translator.translate(event))
                .flatMap(relayed -> log.append(relayed)
                        .flatMap(appended -> hub.relayed(relayed.tenantId(), appended)));
    }
}
