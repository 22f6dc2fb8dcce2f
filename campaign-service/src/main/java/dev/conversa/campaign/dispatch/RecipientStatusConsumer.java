package dev.conversa.campaign.dispatch;

import java.util.Set;
import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.conversa.events.EventTypes;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Binds {@code wa.message.status} (binding {@code recordRecipientStatus-in-0}) to the recorder, in batches. */
@Configuration(proxyBeanMethods = false)
class RecipientStatusConsumer {

    static final Set<String> TYPES = Set.of(EventTypes.MESSAGE_ACCEPTED, EventTypes.MESSAGE_SENT,
            EventTypes.MESSAGE_DELIVERED, EventTypes.MESSAGE_READ, EventTypes.MESSAGE_FAILED);

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> recordRecipientStatus(DurableConsumer consumer,
            RecipientStatusRecorder recorder, DispatchProperties properties) {
        return records -> consumer.consumeBatches("recordRecipientStatus", records,
                metadata -> TYPES.contains(metadata.type()), MessageStatusChanged.class,
                properties.statusBatchSize(), properties.statusMaxWait(), recorder::record);
    }
}
