package dev.conversa.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How consumers and producers behave ({@code conversa.messaging.*}).
 *
 * @param maxAttempts     attempts of a handler before its record goes to the dead-letter topic
 * @param initialBackoff  first pause between attempts, doubled each time (with jitter)
 * @param maxBackoff      longest pause between attempts
 * @param handlerTimeout  how long one attempt may take
 * @param publishTimeout  how long a publish may wait for the broker's acknowledgement
 * @param skippedSources  per destination (topic), the {@code ce_source} values whose records its bindings drop before
 *                        any conversion, acknowledging them (see {@link SkippedSources}): a service that consumes a
 *                        topic it also publishes to names its own source here
 * @param skippedSourcesPollRecords {@code max.poll.records} of those destinations' containers (it overrides the
 *                        binding's): they take acknowledgements out of order and deliver nothing more until every
 *                        record of the previous poll is acknowledged, so a poll's size bounds a batch
 * @param publishAllObservations whether each record {@link EventPublisher#publishAll} sends gets an observation (a
 *                        producer span and timer, when the binder's {@code enable-observation} is on), as
 *                        {@code StreamBridge} sends do; off, the records go straight to the Kafka producer with one
 *                        completion for the whole list: for services that publish large batches of events whose
 *                        spans no work would join
 */
@ConfigurationProperties("conversa.messaging")
public record MessagingProperties(
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("200ms") Duration initialBackoff,
        @DefaultValue("10s") Duration maxBackoff,
        @DefaultValue("30s") Duration handlerTimeout,
        @DefaultValue("15s") Duration publishTimeout,
        Map<String, List<String>> skippedSources,
        @DefaultValue("2000") int skippedSourcesPollRecords,
        @DefaultValue("true") boolean publishAllObservations) {

    public MessagingProperties {
        skippedSources = skippedSources == null ? Map.of() : Map.copyOf(skippedSources);
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("conversa.messaging.max-attempts must be at least 1");
        }
        if (skippedSourcesPollRecords < 1) {
            throw new IllegalArgumentException("conversa.messaging.skipped-sources-poll-records must be at least 1");
        }
    }
}
