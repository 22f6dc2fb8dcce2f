package dev.conversa.notification.alerts;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * {@code raiseAlerts} (group {@code notification-service-alerts}, once per deployment): turns the events that
 * {@link AlertKind} maps (session logged out / banned / failed, campaign finished …) into queued e-mails, one per
 * interested recipient; other events are acknowledged without being read. Payloads are read as JSON trees and every
 * scalar field becomes a fact of the e-mail.
 */
@Configuration(proxyBeanMethods = false)
class AlertRaiser {

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> raiseAlerts(DurableConsumer consumer, AlertQueue queue,
            TransactionalOperator transactions, AlertProperties properties) {
        return records -> consumer.consumeBatches("raiseAlerts", records,
                metadata -> AlertKind.forEventType(metadata.type()).isPresent(), JsonNode.class,
                properties.batchSize(), properties.maxWait(),
                batch -> raise(batch, queue).as(transactions::transactional));
    }

    static Mono<Long> raise(List<EventEnvelope<JsonNode>> batch, AlertQueue queue) {
        return Flux.fromIterable(batch)
                .concatMap(event -> {
                    Optional<AlertKind> kind = AlertKind.forEventType(event.type());
                    return kind.isEmpty() ? Mono.just(0L)
                            : queue.enqueue(event.tenantId(), kind.get(), event.id(), facts(event.payload()));
                })
                .reduce(0L, Long::sum);
    }

    /** The payload's scalar fields, in order, except the tenant (the e-mail names it) and empty ones. */
    static Map<String, String> facts(JsonNode payload) {
        Map<String, String> facts = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> field : payload.properties()) {
            JsonNode value = field.getValue();
            if (!"tenantId".equals(field.getKey()) && value.isValueNode() && !value.isNull()) {
                facts.put(field.getKey(), value.asString());
            }
        }
        return facts;
    }
}
