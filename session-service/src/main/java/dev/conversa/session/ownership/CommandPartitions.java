package dev.conversa.session.ownership;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.UUID;

import org.apache.kafka.common.utils.Utils;

/**
 * The partition of {@code wa.commands} a session belongs to: exactly the one Kafka's default partitioner picks for a
 * record keyed by {@code sessionId.toString()} (UTF-8), i.e. {@code toPositive(murmur2(key)) mod partitionCount}.
 * Producers of {@code wa.commands} must therefore set the Kafka record key (as {@code EventPublisher} does) and must
 * not use Spring Cloud Stream's own partitioning ({@code partition-key-expression}), which hashes differently.
 */
public final class CommandPartitions {

    private CommandPartitions() {
    }

    public static int partitionOf(UUID sessionId, int partitionCount) {
        Objects.requireNonNull(sessionId, "sessionId");
        if (partitionCount < 1) {
            throw new IllegalArgumentException("partitionCount must be at least 1, was " + partitionCount);
        }
        byte[] key = sessionId.toString().getBytes(StandardCharsets.UTF_8);
        return Utils.toPositive(Utils.murmur2(key)) % partitionCount;
    }
}
