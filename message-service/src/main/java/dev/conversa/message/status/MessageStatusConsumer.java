package dev.conversa.message.status;

import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.message.inbox.IngestProperties;
import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** Binds {@code wa.message.status} (binding {@code recordMessageStatus-in-0}) to the recorder, in batches. */
@Configuration(proxyBeanMethods = false)
class MessageStatusConsumer {

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> recordMessageStatus(DurableConsumer consumer,
            MessageStatusRecorder recorder, IngestProperties properties) {
        return records -> consumer.consumeBatches("recordMessageStatus", records,
                metadata -> MessageStatusRecorder.TYPES.contains(metadata.type()), MessageStatusChanged.class,
                properties.batchSize(), properties.maxWait(), recorder::record);
    }
}
