package dev.conversa.message.inbox;

import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.EventTypes;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Binds {@code wa.message.inbound} (binding {@code recordInboundMessage-in-0}) to the recorder, in batches of
 * {@code conversa.message.ingest.batch-size}, pipelined: a batch's events are published while the next batch is
 * stored; offsets are committed once a batch's rows and events are durable.
 */
@Configuration(proxyBeanMethods = false)
class InboundMessageConsumer {

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> recordInboundMessage(DurableConsumer consumer,
            InboundMessageRecorder recorder, IngestProperties properties) {
        return records -> consumer.consumeBatchesPipelined("recordInboundMessage", records,
                metadata -> EventTypes.MESSAGE_RECEIVED.equals(metadata.type()), MessageReceived.class,
                properties.batchSize(), properties.maxWait(), recorder::write);
    }

    @Bean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactionManager) {
        return TransactionalOperator.create(transactionManager);
    }
}
