package dev.conversa.simulator.load;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Inbound traffic to generate: {@code ratePerSecond} messages a second for {@code durationSeconds}, spread round
 * robin over {@code businessNumbers} (their devices or webhooks), from {@code customers} distinct phones.
 */
public record LoadRequest(int ratePerSecond, List<String> businessNumbers, int durationSeconds,
        @Nullable Integer customers, @Nullable String text) {

    static final int MAX_RATE = 200_000;
    static final int MAX_DURATION = 3_600;

    public LoadRequest {
        if (ratePerSecond < 1 || ratePerSecond > MAX_RATE) {
            throw new IllegalArgumentException("ratePerSecond must be 1.." + MAX_RATE);
        }
        if (durationSeconds < 1 || durationSeconds > MAX_DURATION) {
            throw new IllegalArgumentException("durationSeconds must be 1.." + MAX_DURATION);
        }
        if (businessNumbers == null || businessNumbers.isEmpty()) {
            throw new IllegalArgumentException("businessNumbers must name at least one number");
        }
        businessNumbers = List.copyOf(businessNumbers);
    }
}
