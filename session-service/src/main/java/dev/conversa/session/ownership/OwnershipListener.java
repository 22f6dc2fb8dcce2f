package dev.conversa.session.ownership;

import java.util.Set;

import reactor.core.publisher.Mono;

/**
 * What the session runtime does when this instance gains or loses partitions of {@code wa.commands}. Called by
 * {@link CommandPartitionOwnership} one change at a time, in the order Kafka reported them, never on the Kafka
 * consumer thread. Each returned {@code Mono} must complete (bound its own work with timeouts): the next change
 * waits for it.
 */
public interface OwnershipListener {

    /**
     * This instance now owns {@code partitions}: restore their sessions from stored auth state (acquiring each
     * session's lease with {@link SessionLeases#awaitAcquire}, since a dead previous owner's lease only expires
     * after its TTL). {@code partitionCount} is the partition count of {@code wa.commands}, for
     * {@link CommandPartitions#partitionOf}.
     */
    Mono<Void> assigned(Set<Integer> partitions, int partitionCount);

    /**
     * This instance no longer owns {@code partitions}: close their sessions and release their leases. Kafka's
     * rebalance waits for this (up to {@code revocation-timeout}) before another instance gets the partitions.
     */
    Mono<Void> revoked(Set<Integer> partitions);
}
