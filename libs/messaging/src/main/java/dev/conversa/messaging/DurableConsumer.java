package dev.conversa.messaging;

import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;

import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.cloudevents.InvalidEventException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Runs a stream of Kafka records through a reactive handler with at-least-once semantics and without blocking:
 *
 * <ul>
 * <li>records are decoded here, so a poison record cannot kill the stream: it goes to the dead-letter topic;</li>
 * <li>each attempt has a timeout; failures are retried with exponential back-off and jitter, except
 * {@link NonRetryableException} and undecodable records;</li>
 * <li>a record that still fails is parked on {@code <topic>.dlq};</li>
 * <li>the offset is acknowledged only after the handler's effect completed (or the dead letter was accepted),
 * in order; the binding must use {@code ackMode: MANUAL}.</li>
 * </ul>
 *
 * Backpressure: records are handled one after another per binding; the binder's reactive channel parks the Kafka
 * consumer thread while no demand is signalled, so nothing piles up in memory.
 *
 * <p>Use from a {@code Function<Flux<Message<byte[]>>, Mono<Void>>} bean:
 * <pre>{@code
 * @Bean
 * Function<Flux<Message<byte[]>>, Mono<Void>> recordInboundMessage(DurableConsumer consumer, Recorder recorder) {
 *     return records -> consumer.consume("recordInboundMessage", records, MessageReceived.class, recorder::record);
 * }
 * }</pre>
 */
public class DurableConsumer {

    private static final Logger log = LoggerFactory.getLogger(DurableConsumer.class);

    private final CloudEventCodec codec;
    private final DeadLetters deadLetters;
    private final MessagingProperties properties;
    private final AtomicBoolean warnedAboutAutoAck = new AtomicBoolean();

    public DurableConsumer(CloudEventCodec codec, DeadLetters deadLetters, MessagingProperties properties) {
        this.codec = codec;
        this.deadLetters = deadLetters;
        this.properties = properties;
    }

    public <T> Mono<Void> consume(String name, Flux<Message<byte[]>> records, Class<T> payloadType,
            Function<EventEnvelope<T>, Mono<?>> handler) {
        return records
                .concatMap(record -> handle(name, record, payloadType, handler)
                        .then(Mono.fromRunnable(() -> acknowledge(name, record))), 1)
                .then();
    }

    /**
     * Like {@link #consume}, for a topic that carries several event types: each record's payload is read as the
     * record the {@link dev.conversa.events.EventCatalog} names for its type; the handler switches on the payload.
     */
    public Mono<Void> consumeCatalogued(String name, Flux<Message<byte[]>> records,
            Function<EventEnvelope<Object>, Mono<?>> handler) {
        return records
                .concatMap(record -> handle(name, record, () -> codec.decodeCatalogued(record), handler)
                        .then(Mono.fromRunnable(() -> acknowledge(name, record))), 1)
                .then();
    }

    private <T> Mono<Void> handle(String name, Message<byte[]> record, Class<T> payloadType,
            Function<EventEnvelope<T>, Mono<?>> handler) {
        return handle(name, record, () -> codec.decode(record, payloadType), handler);
    }

    private <T> Mono<Void> handle(String name, Message<byte[]> record, Callable<EventEnvelope<T>> decoder,
            Function<EventEnvelope<T>, Mono<?>> handler) {
        return Mono.fromCallable(decoder)
                .flatMap(envelope -> Mono.defer(() -> handler.apply(envelope))
                        .timeout(properties.handlerTimeout())
                        .retryWhen(retryPolicy(name, envelope)))
                .then()
                .onErrorResume(error -> deadLetters.park(name, record, error));
    }

    private Retry retryPolicy(String name, EventEnvelope<?> envelope) {
        return Retry.backoff(properties.maxAttempts() - 1L, properties.initialBackoff())
                .maxBackoff(properties.maxBackoff())
                .jitter(0.5)
                .filter(DurableConsumer::isRetryable)
                .doBeforeRetry(signal -> log.warn("{} retries {} {} (attempt {}): {}", name, envelope.type(),
                        envelope.id(), signal.totalRetries() + 2, signal.failure().toString()))
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    private static boolean isRetryable(Throwable error) {
        return !(error instanceof NonRetryableException || error instanceof InvalidEventException);
    }

    private void acknowledge(String name, Message<?> record) {
        Acknowledgment ack = record.getHeaders().get(KafkaHeaders.ACKNOWLEDGMENT, Acknowledgment.class);
        if (ack != null) {
            ack.acknowledge();
        }
        else if (warnedAboutAutoAck.compareAndSet(false, true)) {
            log.warn("{} receives records without an Acknowledgment: set ackMode MANUAL on its binding, "
                    + "or offsets are committed before the effect is durable", name);
        }
    }
}
