package dev.conversa.distribution.engine;

import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Binds {@code crm.conversation.events} (binding {@code routeConversations-in-0}) to the handler, in batches: only
 * opened / updated / closed and message.stored; distribution-service's own events are dropped before conversion
 * ({@code conversa.messaging.skipped-sources}) and refused here too by {@code ce_source}.
 */
@Configuration(proxyBeanMethods = false)
class ConversationEventsConsumer {

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> routeConversations(DurableConsumer consumer,
            ConversationEventsHandler handler, DistributionProperties properties) {
        return records -> consumer.consumeCataloguedBatches("routeConversations", records,
                metadata -> ConversationEventsHandler.TYPES.contains(metadata.type())
                        && !Announcements.SOURCE.equals(metadata.source()),
                properties.batchSize(), properties.maxWait(), handler::handle);
    }

    @Bean
    TransactionalOperator transactionalOperator(ReactiveTransactionManager transactionManager) {
        return TransactionalOperator.create(transactionManager);
    }
}
