package dev.conversa.campaign.contacts;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.messaging.DurableConsumer;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code recordOptOut} on {@code wa.message.inbound}: a message whose text is exactly an opt-out keyword
 * ({@code conversa.contacts.opt-out-keywords}) opts its sender out in the tenant, with reason {@code keyword:STOP}
 * and the time the message was sent, creating the contact if the tenant had none, so the number is never messaged
 * by a campaign. One statement per batch; idempotent (an opted-out contact keeps its first time and reason).
 */
@Configuration(proxyBeanMethods = false)
class OptOutConsumer {

    private static final Logger log = LoggerFactory.getLogger(OptOutConsumer.class);

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> recordOptOut(DurableConsumer consumer, ContactRepository repository,
            TransactionalOperator transaction, ContactsProperties properties, Clock clock) {
        OptOutKeywords keywords = new OptOutKeywords(properties.optOutKeywords());
        return records -> consumer.consumeBatches("recordOptOut", records,
                metadata -> EventTypes.MESSAGE_RECEIVED.equals(metadata.type()), MessageReceived.class,
                properties.optOutBatchSize(), properties.optOutMaxWait(),
                batch -> record(batch, keywords, repository, transaction, clock));
    }

    static Mono<Long> record(List<EventEnvelope<MessageReceived>> batch, OptOutKeywords keywords,
            ContactRepository repository, TransactionalOperator transaction, Clock clock) {
        // one row per (tenant, phone): the earliest keyword message of the batch
        Map<String, OptOut> optOuts = new LinkedHashMap<>();
        for (EventEnvelope<MessageReceived> event : batch) {
            MessageReceived message = event.payload();
            Optional<String> keyword = keywords.match(message.text());
            if (keyword.isEmpty() || !message.from().startsWith("+")) {
                continue;
            }
            optOuts.merge(message.tenantId() + "\n" + message.from(),
                    new OptOut(message.tenantId(), message.from(), "keyword:" + keyword.get(), message.timestamp()),
                    (first, later) -> later.at().isBefore(first.at()) ? later : first);
            log.info("Opt-out keyword {} from {}", keyword.get(), Pii.phone(message.from()));
        }
        if (optOuts.isEmpty()) {
            return Mono.just(0L);
        }
        List<OptOut> rows = List.copyOf(optOuts.values());
        return repository.optOutAll(rows.stream().map(OptOut::tenantId).toArray(String[]::new),
                        rows.stream().map(OptOut::phone).toArray(String[]::new),
                        rows.stream().map(OptOut::reason).toArray(String[]::new),
                        rows.stream().map(OptOut::at).toArray(Instant[]::new), clock.instant())
                .as(transaction::transactional);
    }

    private record OptOut(String tenantId, String phone, String reason, Instant at) {
    }
}
