package dev.conversa.simulator.core;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Faults set through {@code /sim/faults}: extra latency before the simulator answers a number's sends, and a
 * fraction of acknowledgements and receipts silently dropped. A fault for number {@code *} applies to all numbers
 * without one of their own.
 */
@Component
public class FaultInjector {

    public static final String ALL = "*";

    /** The faults in force for a number. */
    public record Faults(Duration latency, double dropRate) {

        public static final Faults NONE = new Faults(Duration.ZERO, 0);

        public Faults {
            if (dropRate < 0 || dropRate > 1) {
                throw new IllegalArgumentException("dropRate must be between 0 and 1");
            }
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
        }
    }

    private final Map<String, Faults> faults = new ConcurrentHashMap<>();

    public void set(String number, Faults value) {
        faults.put(number, value);
    }

    public void clear() {
        faults.clear();
    }

    /** Removes one number's own faults ({@code "*"} for the default). */
    public void clear(String number) {
        faults.remove(number);
    }

    public Faults of(@Nullable String number) {
        Faults own = number == null ? null : faults.get(number);
        return own != null ? own : faults.getOrDefault(ALL, Faults.NONE);
    }

    public Duration latency(@Nullable String number) {
        return of(number).latency();
    }

    /** True when this acknowledgement or receipt is to be lost. */
    public boolean drop(@Nullable String number) {
        double rate = of(number).dropRate();
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }

    public Map<String, Faults> all() {
        return Map.copyOf(faults);
    }
}
