package dev.conversa.notification.webhooks;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.conversa.events.cloudevents.CloudEventHeaders;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.messaging.DurableConsumer;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code enqueueWebhookDeliveries} (group {@code notification-service-webhooks}, once per deployment): for each batch
 * of events of {@code crm.conversation.events}, {@code wa.session.events}, {@code crm.campaign.events} and
 * {@code wa.message.status}, inserts one delivery per (event, active subscription of its tenant whose filter matches)
 * in one {@code unnest} statement; a redelivered record finds its rows already there. Payloads are read as JSON
 * trees, so any event type (new ones included) can be delivered without this service knowing its record.
 */
@Configuration(proxyBeanMethods = false)
class DeliveryEnqueuer {

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> enqueueWebhookDeliveries(DurableConsumer consumer,
            SubscriptionStore subscriptions, DeliveryStore deliveries, JsonMapper json,
            WebhookProperties properties) {
        return records -> consumer.consumeBatches("enqueueWebhookDeliveries", records, JsonNode.class,
                properties.batchSize(), properties.maxWait(),
                batch -> enqueue(batch, subscriptions, deliveries, json));
    }

    static Mono<Long> enqueue(List<EventEnvelope<JsonNode>> batch, SubscriptionStore subscriptions,
            DeliveryStore deliveries, JsonMapper json) {
        List<String> tenants = batch.stream().map(EventEnvelope::tenantId).distinct().toList();
        return subscriptions.activeOf(tenants)
                .collect(Collectors.groupingBy(Subscription::tenantId))
                .flatMap(byTenant -> deliveries.enqueue(matches(batch, byTenant, json)));
    }

    private static List<DeliveryStore.NewDelivery> matches(List<EventEnvelope<JsonNode>> batch,
            Map<String, List<Subscription>> byTenant, JsonMapper json) {
        List<DeliveryStore.NewDelivery> rows = new ArrayList<>();
        for (EventEnvelope<JsonNode> event : batch) {
            String body = null;
            for (Subscription subscription : byTenant.getOrDefault(event.tenantId(), List.of())) {
                if (EventFilter.matches(subscription.eventTypes(), event.type())) {
                    if (body == null) {
                        body = structured(event, json);
                    }
                    rows.add(new DeliveryStore.NewDelivery(
                            Uuids.v7(),
                            subscription.id(), event.tenantId(), event.id(), event.type(), body));
                }
            }
        }
        return rows;
    }

    /** The event in CloudEvents JSON structured mode, as POSTed to receivers. */
    static String structured(EventEnvelope<JsonNode> event, JsonMapper json) {
        EventMetadata metadata = event.metadata();
        ObjectNode node = json.createObjectNode();
        node.put("specversion", CloudEventHeaders.SPEC_VERSION_1_0);
        node.put("id", metadata.id());
        node.put("type", metadata.type());
        node.put("source", metadata.source());
        node.put("time", metadata.time().toString());
        node.put("subject", metadata.subject());
        node.put("tenantid", metadata.tenantId());
        if (metadata.sessionId() != null) {
            node.put("sessionid", metadata.sessionId());
        }
        node.put("datacontenttype", CloudEventHeaders.JSON);
        node.set("data", event.payload());
        return json.writeValueAsString(node);
    }
}
