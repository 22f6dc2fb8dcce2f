package dev.conversa.session.runtime;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts, per session, the failures in a row that a healthy connection does not have: sends that got no answer and
 * health pings that failed. Any answer resets the count. {@link #failed} says when the count reaches the threshold,
 * once: the caller then restarts the session, and the count starts over.
 */
final class ZombieDetector {

    private final int threshold;
    private final Map<UUID, AtomicInteger> failures = new ConcurrentHashMap<>();

    ZombieDetector(int threshold) {
        if (threshold < 1) {
            throw new IllegalArgumentException("threshold must be at least 1");
        }
        this.threshold = threshold;
    }

    /** The session answered: it is alive. */
    void answered(UUID sessionId) {
        AtomicInteger count = failures.get(sessionId);
        if (count != null) {
            count.set(0);
        }
    }

    /** The session failed to answer; true exactly when this failure makes it a zombie. */
    boolean failed(UUID sessionId) {
        int count = failures.computeIfAbsent(sessionId, id -> new AtomicInteger()).incrementAndGet();
        if (count >= threshold) {
            failures.get(sessionId).set(0);
            return true;
        }
        return false;
    }

    /** How many failures in a row the session has now. */
    int failuresInARow(UUID sessionId) {
        AtomicInteger count = failures.get(sessionId);
        return count == null ? 0 : count.get();
    }

    void forget(UUID sessionId) {
        failures.remove(sessionId);
    }
}
