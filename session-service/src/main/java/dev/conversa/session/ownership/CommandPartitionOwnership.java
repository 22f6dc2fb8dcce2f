package dev.conversa.session.ownership;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.cloud.stream.binder.kafka.KafkaBindingRebalanceListener;

import dev.conversa.events.Topics;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Which sessions this instance owns: those of the {@code wa.commands} partitions that the consumer group
 * {@code session-service} assigned to this instance's commands binding (DESIGN.md, "Who owns a live session").
 *
 * <p>The Kafka binder picks this bean up as its (single) {@link KafkaBindingRebalanceListener} and calls it on the
 * binding's consumer thread for every binding; only the configured {@code commands-binding} and topic
 * {@code wa.commands} count. With the cooperative-sticky assignor the callbacks carry only the partitions that
 * move, so the owned set is kept by adding and removing.
 *
 * <ul>
 * <li><b>Assigned</b>: the partitions are owned at once ({@link #owns}); the {@link OwnershipListener} restores
 * their sessions asynchronously, so the consumer thread is not held for restores.</li>
 * <li><b>Revoked or lost</b>: the partitions stop being owned at once (the runtime's sends check {@link #owns} and
 * the lease), then the listener closes their sessions and this method <em>waits</em> for that on the consumer
 * thread, at most {@code revocation-timeout}. This is the one place where blocking is right: Kafka's rebalance
 * callbacks are synchronous, and the group hands the partitions to another member only after this member's
 * callback returned (cooperative protocol: in the follow-up rebalance). Waiting here means the new owner does
 * not open a session while we still hold it; the session leases fence whatever the timeout cuts short. Lost
 * partitions (the member was fenced) arrive through the same path: spring-kafka's container calls
 * {@code onPartitionsRevoked} after {@code onPartitionsLost}, and the binder's listener interface has no
 * lost callback, so {@link #onPartitionsLost} exists for plain consumers and tests.</li>
 * </ul>
 *
 * <p>Listener calls run one at a time, in the order Kafka reported the changes (a single-subscriber queue on a
 * thread of its own): a revocation waits for pending restores of earlier assignments first.
 *
 * <p>The listener (the session runtime) is looked up lazily through an {@link ObjectProvider} when a change is
 * handled, not injected: the runtime depends on this bean ({@link #owns}) and this bean calls the runtime, so a
 * constructor dependency would be a cycle. Until a listener bean exists, changes are tracked but not reported.
 */
public class CommandPartitionOwnership implements KafkaBindingRebalanceListener, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(CommandPartitionOwnership.class);

    private static final String TOPIC = Topics.WA_COMMANDS;

    private final String binding;
    private final Duration revocationTimeout;
    private final Supplier<OwnershipListener> listener;
    private final Set<Integer> owned = ConcurrentHashMap.newKeySet();
    private volatile int partitionCount;

    private final Sinks.Many<Change> changes = Sinks.many().unicast().onBackpressureBuffer();
    private final Scheduler worker = Schedulers.newSingle("session-ownership", true);
    private final Disposable processing;

    public CommandPartitionOwnership(OwnershipProperties properties, ObjectProvider<OwnershipListener> listener) {
        this(properties, (Supplier<OwnershipListener>) listener::getIfAvailable);
    }

    CommandPartitionOwnership(OwnershipProperties properties, Supplier<OwnershipListener> listener) {
        this.binding = properties.commandsBinding();
        this.revocationTimeout = properties.revocationTimeout();
        this.listener = Objects.requireNonNull(listener, "listener");
        this.processing = changes.asFlux()
                .concatMap(change -> Mono.defer(() -> change.run(this.listener.get()))
                        .subscribeOn(worker)
                        .doOnError(error -> log.error("Handling {} failed", change, error))
                        .onErrorResume(error -> Mono.empty())
                        .doFinally(signal -> change.done().complete(null)))
                .subscribe();
    }

    /** The partitions of {@code wa.commands} this instance owns now (a snapshot). */
    public Set<Integer> owned() {
        return Collections.unmodifiableSet(new TreeSet<>(owned));
    }

    /** The partition count of {@code wa.commands}, known from the first assignment on (0 before). */
    public int partitionCount() {
        return partitionCount;
    }

    /** Whether this instance owns the session now: its partition of {@code wa.commands} is assigned to us. */
    public boolean owns(UUID sessionId) {
        int count = partitionCount;
        return count > 0 && owned.contains(CommandPartitions.partitionOf(sessionId, count));
    }

    @Override
    public void onPartitionsAssigned(String bindingName, Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
            boolean initial) {
        if (!binding.equals(bindingName)) {
            return;
        }
        Set<Integer> assigned = commandPartitions(partitions);
        if (assigned.isEmpty()) {
            return;
        }
        int count = partitionCountOf(consumer, assigned);
        owned.addAll(assigned);
        log.info("Assigned partitions {} of {} ({} partitions); owning {}", assigned, TOPIC, count, owned());
        enqueue(new Change("assigned " + assigned, l -> l.assigned(assigned, count)));
    }

    @Override
    public void onPartitionsRevokedBeforeCommit(String bindingName, Consumer<?, ?> consumer,
            Collection<TopicPartition> partitions) {
        if (binding.equals(bindingName)) {
            revoke(partitions, "revoked");
        }
    }

    @Override
    public void onPartitionsRevokedAfterCommit(String bindingName, Consumer<?, ?> consumer,
            Collection<TopicPartition> partitions) {
        // all done before the commit, see onPartitionsRevokedBeforeCommit
    }

    /**
     * Partitions taken from this member without a revocation (it was fenced out of the group): handled like a
     * revocation. Not part of the binder's interface; the container reports losses as revocations anyway, and a
     * second report of the same partitions does nothing.
     */
    public void onPartitionsLost(String bindingName, Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (binding.equals(bindingName)) {
            revoke(partitions, "lost");
        }
    }

    private void revoke(Collection<TopicPartition> partitions, String how) {
        Set<Integer> removed = new TreeSet<>();
        for (int partition : commandPartitions(partitions)) {
            if (owned.remove(partition)) {
                removed.add(partition);
            }
        }
        if (removed.isEmpty()) {
            return;
        }
        Set<Integer> revoked = Collections.unmodifiableSet(removed);
        log.info("Partitions {} of {} {}; closing their sessions; owning {}", revoked, TOPIC, how, owned());
        Change change = new Change(how + " " + revoked, l -> l.revoked(revoked));
        enqueue(change);
        awaitOnConsumerThread(change);
    }

    /** Blocks the Kafka consumer thread until the sessions are closed: see the class comment for why. */
    private void awaitOnConsumerThread(Change change) {
        try {
            change.done().get(revocationTimeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException slow) {
            log.warn("Closing sessions ({}) took longer than {}; letting the rebalance go on, the leases fence them",
                    change, revocationTimeout);
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            log.warn("Interrupted while waiting for {}", change);
        }
        catch (ExecutionException impossible) {
            log.warn("Waiting for {} failed", change, impossible.getCause());
        }
    }

    private synchronized void enqueue(Change change) {
        Sinks.EmitResult result = changes.tryEmitNext(change);
        if (result.isFailure()) {
            // only after destroy(): nobody handles changes any more
            log.warn("Dropped {} ({})", change, result);
            change.done().complete(null);
        }
    }

    private static Set<Integer> commandPartitions(Collection<TopicPartition> partitions) {
        Set<Integer> numbers = new TreeSet<>();
        for (TopicPartition partition : partitions) {
            if (TOPIC.equals(partition.topic())) {
                numbers.add(partition.partition());
            }
        }
        return Collections.unmodifiableSet(numbers);
    }

    private int partitionCountOf(Consumer<?, ?> consumer, Set<Integer> assigned) {
        int known = partitionCount;
        int count;
        try {
            List<PartitionInfo> infos = consumer.partitionsFor(TOPIC);
            count = infos == null ? 0 : infos.size();
        }
        catch (RuntimeException metadataFailure) {
            log.warn("Could not read the partition count of {}: {}", TOPIC, metadataFailure.toString());
            count = 0;
        }
        if (count <= 0) {
            count = Math.max(known, assigned.stream().mapToInt(Integer::intValue).max().orElse(0) + 1);
        }
        if (known > 0 && known != count) {
            log.warn("{} went from {} to {} partitions: sessions map to other partitions now", TOPIC, known, count);
        }
        partitionCount = count;
        return count;
    }

    @Override
    public void destroy() {
        changes.tryEmitComplete();
        processing.dispose();
        worker.dispose();
    }

    private record Change(String description, Function<OwnershipListener, Mono<Void>> action,
            CompletableFuture<Void> done) {

        Change(String description, Function<OwnershipListener, Mono<Void>> action) {
            this(description, action, new CompletableFuture<>());
        }

        Mono<Void> run(OwnershipListener listener) {
            if (listener == null) {
                log.debug("No OwnershipListener yet; {} is only tracked", description);
                return Mono.empty();
            }
            return Objects.requireNonNullElseGet(action.apply(listener), Mono::empty);
        }

        @Override
        public String toString() {
            return description;
        }
    }
}
