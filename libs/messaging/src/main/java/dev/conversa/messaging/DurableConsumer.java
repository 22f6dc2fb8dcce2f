package dev.conversa.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.Acknowledgment;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;

import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.cloudevents.EventMetadata;
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
 *
 * <p>Batches ({@link #consumeBatches}): records are gathered into lists of at most {@code maxBatch}, waiting at most
 * {@code maxWait} for a list to fill, and the handler gets the decoded list, so it can write it in one statement.
 * The whole list is retried as above; if it still fails, its records are handled one by one (as lists of one, each
 * with its own retries), so one poison record parks only itself. Every record of the list is acknowledged, in
 * order, after the list's effect completed.
 *
 * <p>Pipelined batches ({@link #consumeBatchesPipelined}): for a handler in two steps, store then announce, the next
 * list is stored while the previous one is announced. Stores run one at a time in record order, announcements too;
 * at most one stored list waits for its announcement, and records are acknowledged after their list's announcement.
 * With {@code lanes > 1} the topic's partitions are spread over that many such pipelines ({@code partition mod
 * lanes}), which run concurrently: a partition's records keep their order, and records of one key never meet in two
 * lanes.
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

    /**
     * Handles records in batches: the handler receives up to {@code maxBatch} decoded events at once (after at
     * most {@code maxWait}), in record order. See the class comment for retries, dead letters and acknowledgement.
     */
    public <T> Mono<Void> consumeBatches(String name, Flux<Message<byte[]>> records, Class<T> payloadType,
            int maxBatch, Duration maxWait, Function<List<EventEnvelope<T>>, Mono<?>> handler) {
        return consumeBatches(name, records, metadata -> true, payloadType, maxBatch, maxWait, handler);
    }

    /**
     * Like {@link #consumeBatches(String, Flux, Class, int, Duration, Function)}, for a topic that carries other
     * events too: a record whose CloudEvents attributes {@code accept} refuses (another {@code ce_type}, one's own
     * {@code ce_source} …) is acknowledged without its payload being read and never reaches the handler.
     */
    public <T> Mono<Void> consumeBatches(String name, Flux<Message<byte[]>> records, Predicate<EventMetadata> accept,
            Class<T> payloadType, int maxBatch, Duration maxWait,
            Function<List<EventEnvelope<T>>, Mono<?>> handler) {
        return batches(name, records, accept, (record, metadata) -> codec.decode(record, metadata, payloadType),
                maxBatch, maxWait, handler);
    }

    /**
     * Batches of a topic with several event types: each accepted record's payload is read as the record the
     * {@link dev.conversa.events.EventCatalog} names for its type.
     */
    public Mono<Void> consumeCataloguedBatches(String name, Flux<Message<byte[]>> records,
            Predicate<EventMetadata> accept, int maxBatch, Duration maxWait,
            Function<List<EventEnvelope<Object>>, Mono<?>> handler) {
        return batches(name, records, accept, codec::decodeCatalogued, maxBatch, maxWait, handler);
    }

    /**
     * Like {@link #consumeBatches(String, Flux, Predicate, Class, int, Duration, Function)}, for a handler in two
     * steps: {@code store} writes a list and completes, once it is durable, with the announcement to make (publishing
     * what was written); the next list is stored while that announcement runs. Both steps have the timeout and
     * retries of a batch; the announcement must be safe to run again (it is retried alone, the list is not stored
     * again). If either step still fails, the list's records are handled one by one, store and announcement, as
     * {@link #consumeBatches} does.
     */
    public <T> Mono<Void> consumeBatchesPipelined(String name, Flux<Message<byte[]>> records,
            Predicate<EventMetadata> accept, Class<T> payloadType, int maxBatch, Duration maxWait,
            Function<List<EventEnvelope<T>>, Mono<Mono<Void>>> store) {
        return consumeBatchesPipelined(name, records, accept, payloadType, maxBatch, maxWait, 1, store);
    }

    /**
     * Like {@link #consumeBatchesPipelined(String, Flux, Predicate, Class, int, Duration, Function)} in {@code lanes}
     * concurrent pipelines, each taking the records of the partitions {@code p} with {@code p mod lanes} = its
     * number: lists of different lanes are stored and announced at the same time, so the store must not depend on
     * the order of records of different keys (records of one key share a partition, hence a lane, and keep their
     * order). Each lane gathers its own lists of at most {@code maxBatch}.
     */
    public <T> Mono<Void> consumeBatchesPipelined(String name, Flux<Message<byte[]>> records,
            Predicate<EventMetadata> accept, Class<T> payloadType, int maxBatch, Duration maxWait, int lanes,
            Function<List<EventEnvelope<T>>, Mono<Mono<Void>>> store) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        return inLanes(records, lanes, lane -> pipeline(name, lane, accept, payloadType, maxBatch, maxWait, store));
    }

    /**
     * Runs {@code consumer} in {@code lanes} copies side by side, each on the records of the partitions {@code p}
     * with {@code p mod lanes} = its number: a partition's records, so a key's, keep their order in one lane; lanes
     * batch, handle and acknowledge independently.
     */
    private Mono<Void> inLanes(Flux<Message<byte[]>> records, int lanes,
            Function<Flux<Message<byte[]>>, Mono<Void>> consumer) {
        if (lanes < 1) {
            throw new IllegalArgumentException("lanes must be at least 1");
        }
        if (lanes == 1) {
            return consumer.apply(records);
        }
        return records
                // a fixed number of groups, all subscribed at once: no group can starve the others
                .groupBy(record -> lane(record, lanes))
                .flatMap(consumer::apply, lanes)
                .then();
    }

    /** The lane of a record: its partition mod {@code lanes} (0 for a record without a partition header). */
    static int lane(Message<?> record, int lanes) {
        Integer partition = record.getHeaders().get(KafkaHeaders.RECEIVED_PARTITION, Integer.class);
        return partition == null ? 0 : Math.floorMod(partition, lanes);
    }

    private <T> Mono<Void> pipeline(String name, Flux<Message<byte[]>> records, Predicate<EventMetadata> accept,
            Class<T> payloadType, int maxBatch, Duration maxWait,
            Function<List<EventEnvelope<T>>, Mono<Mono<Void>>> store) {
        BiFunction<Message<byte[]>, EventMetadata, EventEnvelope<T>> decoder =
                (record, metadata) -> codec.decode(record, metadata, payloadType);
        Function<List<EventEnvelope<T>>, Mono<?>> whole = batch -> store.apply(batch).flatMap(announce -> announce);
        return records
                .bufferTimeout(maxBatch, maxWait, true)
                // step 1, one list at a time: decode, store; emits the list with its pending announcement
                .concatMap(batch -> decodeBatch(name, batch, accept, decoder)
                        .flatMap(decoded -> decoded.isEmpty() ? Mono.just(Mono.<Void>empty())
                                : Mono.defer(() -> store.apply(envelopes(decoded)))
                                        .timeout(properties.handlerTimeout())
                                        .retryWhen(batchRetryPolicy(name, decoded))
                                        .map(announce -> announce
                                                .timeout(properties.handlerTimeout())
                                                .retryWhen(batchRetryPolicy(name, decoded))
                                                .onErrorResume(error -> oneByOne(name, decoded, whole, error)))
                                        // in step 1, so that no later list is stored before these records
                                        .onErrorResume(error -> oneByOne(name, decoded, whole, error)
                                                .thenReturn(Mono.<Void>empty())))
                        .map(announce -> new Stored(batch, announce)), 1)
                // step 2, one list at a time and in order: announce, then acknowledge; prefetch 1 lets step 1
                // store the next list meanwhile
                .concatMap(stored -> stored.announce()
                        .then(Mono.fromRunnable(() -> stored.records().forEach(record -> acknowledge(name, record)))),
                        1)
                .then();
    }

    /** A stored list's records and the announcement still to make. */
    private record Stored(List<Message<byte[]>> records, Mono<Void> announce) {
    }

    private <T> Mono<Void> batches(String name, Flux<Message<byte[]>> records, Predicate<EventMetadata> accept,
            BiFunction<Message<byte[]>, EventMetadata, EventEnvelope<T>> decoder, int maxBatch, Duration maxWait,
            Function<List<EventEnvelope<T>>, Mono<?>> handler) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1");
        }
        return records
                // fair back-pressure: at most maxBatch records are requested ahead, and a timed-out buffer waits
                // for demand instead of overflowing
                .bufferTimeout(maxBatch, maxWait, true)
                .concatMap(batch -> handleBatch(name, batch, accept, decoder, handler)
                        .then(Mono.fromRunnable(() -> batch.forEach(record -> acknowledge(name, record)))), 1)
                .then();
    }

    private <T> Mono<Void> handleBatch(String name, List<Message<byte[]>> batch, Predicate<EventMetadata> accept,
            BiFunction<Message<byte[]>, EventMetadata, EventEnvelope<T>> decoder,
            Function<List<EventEnvelope<T>>, Mono<?>> handler) {
        return decodeBatch(name, batch, accept, decoder)
                .flatMap(decoded -> decoded.isEmpty() ? Mono.<Void>empty()
                        : Mono.defer(() -> handler.apply(envelopes(decoded)))
                                .timeout(properties.handlerTimeout())
                                .retryWhen(batchRetryPolicy(name, decoded))
                                .then()
                                .onErrorResume(error -> oneByOne(name, decoded, handler, error)));
    }

    /**
     * The accepted records of a list, decoded in one pass (each record's attributes read once); the undecodable ones
     * are parked on the dead-letter topic, in record order, before the list is handed on.
     */
    private <T> Mono<List<Decoded<T>>> decodeBatch(String name, List<Message<byte[]>> batch,
            Predicate<EventMetadata> accept, BiFunction<Message<byte[]>, EventMetadata, EventEnvelope<T>> decoder) {
        return Mono.defer(() -> {
            List<Decoded<T>> decoded = new ArrayList<>(batch.size());
            List<Mono<Void>> parked = new ArrayList<>(0);
            for (Message<byte[]> record : batch) {
                try {
                    EventMetadata metadata = codec.metadata(record);
                    if (accept.test(metadata)) {
                        decoded.add(new Decoded<>(record, decoder.apply(record, metadata)));
                    }
                }
                catch (RuntimeException error) {
                    parked.add(deadLetters.park(name, record, error));
                }
            }
            return parked.isEmpty() ? Mono.just(decoded) : Flux.concat(parked).then(Mono.just(decoded));
        });
    }

    private <T> Mono<Void> oneByOne(String name, List<Decoded<T>> decoded,
            Function<List<EventEnvelope<T>>, Mono<?>> handler, Throwable batchError) {
        log.warn("{} could not handle a batch of {} records ({}): handling them one by one", name, decoded.size(),
                batchError.toString());
        return Flux.fromIterable(decoded)
                .concatMap(one -> Mono.defer(() -> handler.apply(List.of(one.envelope())))
                        .timeout(properties.handlerTimeout())
                        .retryWhen(retryPolicy(name, one.envelope()))
                        .then()
                        .onErrorResume(error -> deadLetters.park(name, one.record(), error)), 1)
                .then();
    }

    private static <T> List<EventEnvelope<T>> envelopes(List<Decoded<T>> decoded) {
        List<EventEnvelope<T>> envelopes = new ArrayList<>(decoded.size());
        decoded.forEach(one -> envelopes.add(one.envelope()));
        return List.copyOf(envelopes);
    }

    private Retry batchRetryPolicy(String name, List<? extends Decoded<?>> batch) {
        return Retry.backoff(properties.maxAttempts() - 1L, properties.initialBackoff())
                .maxBackoff(properties.maxBackoff())
                .jitter(0.5)
                .filter(DurableConsumer::isRetryable)
                .doBeforeRetry(signal -> log.warn("{} retries a batch of {} records from {} (attempt {}): {}", name,
                        batch.size(), batch.getFirst().envelope().id(), signal.totalRetries() + 2,
                        signal.failure().toString()))
                .onRetryExhaustedThrow((spec, signal) -> signal.failure());
    }

    /** A record of a batch and its decoded event. */
    private record Decoded<T>(Message<byte[]> record, EventEnvelope<T> envelope) {
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
