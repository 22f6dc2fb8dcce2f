package dev.conversa.message.inbox;

import java.util.function.Function;

import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.messaging.Message;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.messaging.DurableConsumer;
import dev.conversa.messaging.SkippedSources;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Binds {@code wa.message.inbound} (binding {@code recordInboundMessage-in-0}) to the recorder, in batches of
 * {@code conversa.message.ingest.batch-size}, pipelined: a batch's events are published while the next batch is
 * stored; offsets are committed once a batch's rows and events are durable. The partitions are spread over
 * {@code conversa.message.ingest.lanes} such pipelines running side by side; a session's records (its key) stay in
 * one partition, hence in one lane and in order, and lanes never share a conversation.
 */
@Configuration(proxyBeanMethods = false)
class InboundMessageConsumer {

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> recordInboundMessage(DurableConsumer consumer,
            InboundMessageRecorder recorder, IngestProperties properties) {
        return records -> consumer.consumeBatchesPipelined("recordInboundMessage", records,
                metadata -> EventTypes.MESSAGE_RECEIVED.equals(metadata.type()), MessageReceived.class,
                properties.batchSize(), properties.maxWait(), properties.lanes(), recorder::write);
    }

    /**
     * The listener containers of message-service: those of {@code conversa.messaging.skipped-sources} as
     * libs/messaging sets them up (Spring Cloud Stream takes one customizer), and the {@code wa.message.inbound}
     * container without a per-record observation unless {@code record-observations} (see {@link IngestProperties}).
     */
    @Bean
    ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> messageServiceContainerCustomizer(
            SkippedSources skippedSources, IngestProperties properties) {
        ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> skipping =
                skippedSources.containerCustomizer();
        return (container, destination, group) -> {
            skipping.configure(container, destination, group);
            if (Topics.WA_MESSAGE_INBOUND.equals(destination) && !properties.recordObservations()) {
                container.getContainerProperties().setObservationEnabled(false);
            }
        };
    }

    @Bean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactionManager) {
        return TransactionalOperator.create(transactionManager);
    }
}
