package dev.conversa.simulator.load;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/** A load run's progress: messages planned, handed to a channel, and refused (no channel, queue full …). */
public record LoadJob(String id, LoadRequest request, long planned, long delivered, long failed, String state,
        Instant startedAt, @Nullable Instant finishedAt) {
}
