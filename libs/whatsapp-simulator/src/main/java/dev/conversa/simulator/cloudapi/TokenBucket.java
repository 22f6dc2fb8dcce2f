package dev.conversa.simulator.cloudapi;

import java.util.function.LongSupplier;

/**
 * A token bucket: {@code capacity} tokens, one refilled every {@code nanosPerToken}; starts full. Used for a number's
 * throughput (80/s, bursts of one second) and for the pair rate (1 per 6 s, bursts of 45 "borrowed" from the future).
 */
final class TokenBucket {

    /** Tolerance for the rounding of refills, so that six seconds at one per six seconds make one token. */
    private static final double EPSILON = 1e-9;

    private final double capacity;
    private final double nanosPerToken;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    /** A bucket refilled at {@code perSecond} tokens a second. */
    static TokenBucket perSecond(double capacity, double perSecond, LongSupplier nanoTime) {
        return new TokenBucket(capacity, 1_000_000_000d / perSecond, nanoTime);
    }

    /**
     * @param capacity      most tokens held, also the start
     * @param nanosPerToken time to refill one token: {@code 1e9 / rate per second}, or the pair rate's interval
     */
    TokenBucket(double capacity, double nanosPerToken, LongSupplier nanoTime) {
        if (capacity < 1 || !(nanosPerToken > 0)) {
            throw new IllegalArgumentException("A token bucket needs a capacity of at least 1 and a positive rate");
        }
        this.capacity = capacity;
        this.nanosPerToken = nanosPerToken;
        this.nanoTime = nanoTime;
        this.tokens = capacity;
        this.refilledAt = nanoTime.getAsLong();
    }

    synchronized boolean tryAcquire() {
        refill();
        if (tokens >= 1 - EPSILON) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** Gives back a token taken for a send that was refused afterwards. */
    synchronized void refund() {
        tokens = Math.min(capacity, tokens + 1);
    }

    /** Whether the bucket is full again, i.e. it remembers nothing and may be forgotten. */
    synchronized boolean isFull() {
        refill();
        return tokens >= capacity - EPSILON;
    }

    private void refill() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(capacity, tokens + (now - refilledAt) / nanosPerToken);
        refilledAt = now;
    }
}
