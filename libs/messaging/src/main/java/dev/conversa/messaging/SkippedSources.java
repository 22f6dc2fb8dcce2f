package dev.conversa.messaging;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.stream.config.ConsumerEndpointCustomizer;
import org.springframework.cloud.stream.config.ListenerContainerCustomizer;
import org.springframework.integration.kafka.inbound.KafkaMessageDrivenChannelAdapter;
import org.springframework.kafka.listener.AbstractMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.adapter.RecordFilterStrategy;

import dev.conversa.events.cloudevents.CloudEventHeaders;

/**
 * Drops the records of some CloudEvents sources before the binder converts them, for a service that consumes a topic
 * it publishes to itself (message-service reads {@code crm.conversation.events} for distribution's assignments, and
 * most records there are its own). A dropped record costs a header lookup instead of a {@code Message} with mapped
 * headers, a trip through the binding's channel and {@link DurableConsumer}'s own check; it is acknowledged.
 *
 * <p>Configured per destination with {@code conversa.messaging.skipped-sources}. Because dropped records are
 * acknowledged on the consumer thread while earlier records of the same partition may still be in the reactive
 * pipeline, the listener containers of those destinations use out-of-order acknowledgements
 * ({@code asyncAcks}): an offset is committed only when every record before it has been acknowledged. Such a
 * container delivers nothing more until every record of the previous poll is acknowledged, so a batch consumer's
 * batches end at each poll: these containers poll more records at a time ({@code max.poll.records}, from
 * {@code conversa.messaging.skipped-sources-poll-records}, 2,000 by default, instead of Kafka's 500;
 * distribution-service went from 1,616 to 2,905 assignments/s with such polls).
 * Their containers record no observation (trace span, timer) per record: the records kept are not traced on receipt.
 *
 * <p>Spring Cloud Stream takes one customizer bean of each kind: a service that needs its own must include this.
 */
public class SkippedSources {

    private static final Logger log = LoggerFactory.getLogger(SkippedSources.class);
    private static final String CANONICAL_SOURCE = "ce-" + CloudEventHeaders.SOURCE.substring(
            CloudEventHeaders.PREFIX.length());

    private final Map<String, Set<String>> byDestination;
    private final int pollRecords;

    /**
     * @param skippedSources per destination, the {@code ce_source} values dropped
     * @param pollRecords    {@code max.poll.records} of those destinations' containers
     */
    public SkippedSources(Map<String, List<String>> skippedSources, int pollRecords) {
        this.byDestination = skippedSources.entrySet().stream()
                .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> Set.copyOf(entry.getValue())));
        this.pollRecords = pollRecords;
    }

    /** Whether a record of {@code destination} is dropped: its {@code ce_source} is one of the skipped ones. */
    public boolean skips(String destination, ConsumerRecord<?, ?> record) {
        Set<String> sources = byDestination.get(destination);
        if (sources == null) {
            return false;
        }
        Header source = record.headers().lastHeader(CloudEventHeaders.SOURCE);
        if (source == null) {
            source = record.headers().lastHeader(CANONICAL_SOURCE);
        }
        return source != null && sources.contains(new String(source.value(), StandardCharsets.UTF_8));
    }

    /** Installs the filter on the inbound adapters of the configured destinations. */
    public ConsumerEndpointCustomizer<KafkaMessageDrivenChannelAdapter<?, ?>> endpointCustomizer() {
        return (adapter, destination, group) -> {
            if (byDestination.containsKey(destination)) {
                @SuppressWarnings("unchecked")
                KafkaMessageDrivenChannelAdapter<Object, Object> typed =
                        (KafkaMessageDrivenChannelAdapter<Object, Object>) adapter;
                RecordFilterStrategy<Object, Object> filter = record -> skips(destination, record);
                typed.setRecordFilterStrategy(filter);
                typed.setAckDiscarded(true);
                log.info("Records of {} from {} are dropped before conversion (group {})", destination,
                        byDestination.get(destination), group);
            }
        };
    }

    /**
     * Lets the containers of the configured destinations take acknowledgements out of order, sets their
     * {@code max.poll.records} (over the binding's consumer configuration), and turns their per-record observation
     * off: the container would otherwise open and close a span and a timer for every
     * dropped record (most of what such a consumer does), before the filter runs.
     */
    public ListenerContainerCustomizer<AbstractMessageListenerContainer<?, ?>> containerCustomizer() {
        return (container, destination, group) -> {
            if (byDestination.containsKey(destination)) {
                ContainerProperties properties = container.getContainerProperties();
                properties.setAsyncAcks(true);
                properties.setObservationEnabled(false);
                // over the consumer factory's configuration, for this container's consumer only
                properties.getKafkaConsumerProperties().setProperty(ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                        String.valueOf(pollRecords));
            }
        };
    }
}
