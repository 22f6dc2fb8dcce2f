package dev.conversa.simulator.cloudapi;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * A number's Cloud API send limits: its throughput (130429) and, per recipient, the pair rate (131056). Pair buckets
 * that have refilled are forgotten now and then, so sending to millions of recipients stays in bounded memory.
 */
final class SendLimits {

    private static final int SWEEP_EVERY = 10_000;

    private final TokenBucket throughput;
    private final ConcurrentMap<String, TokenBucket> pairs = new ConcurrentHashMap<>();
    private final AtomicInteger sinceSweep = new AtomicInteger();
    private final int pairBurst;
    private final double pairNanosPerToken;
    private final LongSupplier nanoTime;

    SendLimits(double messagesPerSecond, CloudApiProperties properties, LongSupplier nanoTime) {
        this.throughput = TokenBucket.perSecond(Math.max(1, messagesPerSecond), messagesPerSecond, nanoTime);
        this.pairBurst = properties.pairRateBurst();
        this.pairNanosPerToken = properties.pairRateInterval().toNanos();
        this.nanoTime = nanoTime;
    }

    boolean tryThroughput() {
        return throughput.tryAcquire();
    }

    boolean tryPair(String recipient) {
        if (sinceSweep.incrementAndGet() >= SWEEP_EVERY) {
            sinceSweep.set(0);
            pairs.values().removeIf(TokenBucket::isFull);
        }
        return pairs.computeIfAbsent(recipient, key -> new TokenBucket(pairBurst, pairNanosPerToken, nanoTime))
                .tryAcquire();
    }

    void refundPair(String recipient) {
        TokenBucket bucket = pairs.get(recipient);
        if (bucket != null) {
            bucket.refund();
        }
    }
}
