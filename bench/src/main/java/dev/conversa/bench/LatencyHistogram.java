package dev.conversa.bench;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** Lock-free latency histogram in microseconds: buckets of ~4% width from 1 µs to ~70 s. */
final class LatencyHistogram {

    private static final int SUB_BUCKETS = 16;
    private static final int BUCKETS = 64 * SUB_BUCKETS;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder total = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private volatile long max;

    void record(long micros) {
        long value = Math.max(1, micros);
        counts.incrementAndGet(bucket(value));
        total.increment();
        sum.add(value);
        if (value > max) {
            max = value;
        }
    }

    long count() {
        return total.sum();
    }

    double meanMillis() {
        long n = total.sum();
        return n == 0 ? 0 : sum.sum() / (double) n / 1000.0;
    }

    double maxMillis() {
        return max / 1000.0;
    }

    /** The value (ms) below which {@code percentile} % of the samples fall. */
    double percentileMillis(double percentile) {
        long n = total.sum();
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(percentile / 100.0 * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += counts.get(i);
            if (seen >= rank) {
                return upperBound(i) / 1000.0;
            }
        }
        return maxMillis();
    }

    private static int bucket(long value) {
        int exponent = 63 - Long.numberOfLeadingZeros(value);
        int sub = exponent < 4 ? (int) (value & (SUB_BUCKETS - 1))
                : (int) ((value >>> (exponent - 4)) & (SUB_BUCKETS - 1));
        return Math.min(BUCKETS - 1, exponent * SUB_BUCKETS + sub);
    }

    private static long upperBound(int bucket) {
        int exponent = bucket / SUB_BUCKETS;
        int sub = bucket % SUB_BUCKETS;
        if (exponent < 4) {
            return (1L << exponent) + sub;
        }
        return (1L << exponent) + ((long) (sub + 1) << (exponent - 4));
    }
}
