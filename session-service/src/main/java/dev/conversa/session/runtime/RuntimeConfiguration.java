package dev.conversa.session.runtime;

import java.util.function.Function;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(RuntimeProperties.class)
class RuntimeConfiguration {

    /**
     * {@code wa.commands}: the binding whose partition assignment makes this instance the owner of sessions. Records
     * are handled in order, in lists (a run of sends is written in one statement); the offsets are committed after
     * the list's effect (a queued send is a written row) is durable.
     */
    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> handleCommand(DurableConsumer consumer,
            SessionCommandHandler handler, RuntimeProperties properties) {
        return records -> consumer.consumeCataloguedBatches("handleCommand", records, metadata -> true,
                properties.commandBatch(), properties.commandBatchWait(), handler::handleAll);
    }
}
