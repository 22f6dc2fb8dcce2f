package dev.conversa.message.outbound;

import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.conversa.events.EventTypes;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.message.inbox.IngestProperties;
import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Binds {@code wa.commands} (binding {@code recordOutboundMessage-in-0}, group {@code message-service}) to the
 * recorder, in batches; session commands (logout, restart, pairing code) are acknowledged without being read.
 */
@Configuration(proxyBeanMethods = false)
class OutboundMessageConsumer {

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> recordOutboundMessage(DurableConsumer consumer,
            OutboundMessageRecorder recorder, IngestProperties properties) {
        return records -> consumer.consumeBatches("recordOutboundMessage", records,
                metadata -> EventTypes.MESSAGE_SEND_REQUESTED.equals(metadata.type()), SendMessageRequested.class,
                properties.batchSize(), properties.maxWait(), recorder::record);
    }
}
