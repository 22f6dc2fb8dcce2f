package dev.conversa.campaign.stats;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * What one recipient's transition means for the statistics: each recipient yields each outcome at most once
 * ({@code SENT} when it first reaches sent or beyond, {@code DELIVERED} when it first reaches delivered or read,
 * {@code READ}, or {@code FAILED} when it fails for good).
 *
 * @param timeZone the campaign's time zone (IANA id): days are counted in it
 * @param at       when the transition happened (the status event's time)
 */
public record RecipientOutcome(
        String tenantId,
        UUID campaignId,
        UUID recipientId,
        @Nullable UUID contactId,
        String phone,
        List<String> groups,
        Outcome outcome,
        @Nullable String failureReason,
        String timeZone,
        Instant at) {

    public RecipientOutcome {
        groups = List.copyOf(groups);
    }

    public enum Outcome {
        SENT, DELIVERED, READ, FAILED
    }
}
