package dev.conversa.campaign.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.campaign.stats.RecipientOutcome;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageStatusChanged;

/**
 * One recipient's current attempt, as locked from the database, and the rules that move it when session-service
 * reports a status of that attempt's command:
 *
 * <ul>
 * <li>{@code accepted} changes nothing but records WhatsApp's id and that the command arrived;</li>
 * <li>{@code sent → delivered → read} only move forward, whatever order receipts arrive in;</li>
 * <li>{@code failed} (from queued, sent or delivered) sends the recipient back to {@code pending} for a new attempt
 * after an exponential back-off when retryable and attempts remain, else fails it for good;</li>
 * <li>a recipient that is pending, skipped, failed or read takes no status.</li>
 * </ul>
 *
 * Each recipient yields each statistics outcome at most once: the {@code sent_at}, {@code delivered_at} and
 * {@code read_at} stamps are set the first time and never cleared, even across attempts.
 */
final class RecipientState {

    final UUID id;
    final UUID campaignId;
    final String tenantId;
    final @Nullable UUID contactId;
    final String phone;
    final List<String> groups;
    final String timeZone;
    final int maxAttempts;
    final int attempt;
    final String originalStatus;

    String status;
    @Nullable String waMessageId;
    @Nullable Instant acceptedAt;
    @Nullable Instant sentAt;
    @Nullable Instant deliveredAt;
    @Nullable Instant readAt;
    @Nullable Instant failedAt;
    @Nullable Instant nextAttemptAt;
    @Nullable Integer errorCode;
    @Nullable String failureReason;
    boolean changed;

    RecipientState(UUID id, UUID campaignId, String tenantId, @Nullable UUID contactId, String phone,
            List<String> groups, String timeZone, int maxAttempts, int attempt, String status,
            @Nullable String waMessageId, @Nullable Instant acceptedAt, @Nullable Instant sentAt,
            @Nullable Instant deliveredAt, @Nullable Instant readAt) {
        this.id = id;
        this.campaignId = campaignId;
        this.tenantId = tenantId;
        this.contactId = contactId;
        this.phone = phone;
        this.groups = List.copyOf(groups);
        this.timeZone = timeZone;
        this.maxAttempts = maxAttempts;
        this.attempt = attempt;
        this.originalStatus = status;
        this.status = status;
        this.waMessageId = waMessageId;
        this.acceptedAt = acceptedAt;
        this.sentAt = sentAt;
        this.deliveredAt = deliveredAt;
        this.readAt = readAt;
    }

    /** The statuses of the chain after queued, in order. */
    private static int rank(String status) {
        return switch (status) {
            case "queued" -> 0;
            case "sent" -> 1;
            case "delivered" -> 2;
            case "read" -> 3;
            default -> -1;
        };
    }

    /**
     * Applies one status of this attempt; answers the statistics outcomes it yields.
     *
     * @param backoff the delay before attempt {@code n + 1} after attempt {@code n} failed
     * @param now     when the status is applied: a retry's back-off starts then
     */
    List<RecipientOutcome> apply(MessageStatusChanged event, java.util.function.IntFunction<Duration> backoff,
            Instant now) {
        List<RecipientOutcome> outcomes = new ArrayList<>(2);
        int current = rank(status);
        if (current < 0 || "read".equals(status)) {
            return outcomes;
        }
        if (waMessageId == null && event.waMessageId() != null) {
            waMessageId = event.waMessageId();
            changed = true;
        }
        if (acceptedAt == null) {
            acceptedAt = event.occurredAt();
            changed = true;
        }
        DeliveryStatus next = event.status();
        switch (next) {
            case SENT, DELIVERED, READ -> {
                String target = next.value();
                if (rank(target) <= current) {
                    return outcomes;
                }
                status = target;
                changed = true;
                Instant at = event.occurredAt();
                if (sentAt == null) {
                    sentAt = at;
                    outcomes.add(outcome(RecipientOutcome.Outcome.SENT, null, at));
                }
                if (rank(target) >= 2 && deliveredAt == null) {
                    deliveredAt = at;
                    outcomes.add(outcome(RecipientOutcome.Outcome.DELIVERED, null, at));
                }
                if (rank(target) == 3 && readAt == null) {
                    readAt = at;
                    outcomes.add(outcome(RecipientOutcome.Outcome.READ, null, at));
                }
            }
            case FAILED -> {
                errorCode = event.errorCode();
                failureReason = reason(event);
                changed = true;
                if (Boolean.TRUE.equals(event.retryable()) && attempt < maxAttempts) {
                    status = "pending";
                    nextAttemptAt = now.plus(backoff.apply(attempt));
                }
                else {
                    status = "failed";
                    failedAt = event.occurredAt();
                    outcomes.add(outcome(RecipientOutcome.Outcome.FAILED, failureReason, event.occurredAt()));
                }
            }
            default -> {
                // accepted (or pending): nothing but the stamps above
            }
        }
        return outcomes;
    }

    private static String reason(MessageStatusChanged event) {
        if (event.errorTitle() != null && !event.errorTitle().isBlank()) {
            return event.errorTitle();
        }
        return event.errorCode() != null ? "error " + event.errorCode() : "failed";
    }

    private RecipientOutcome outcome(RecipientOutcome.Outcome outcome, @Nullable String reason, Instant at) {
        return new RecipientOutcome(tenantId, campaignId, id, contactId, phone, groups, outcome, reason, timeZone,
                at);
    }

    /** The exponential back-off: {@code base × 2^(attempt - 1)}, at most {@code max}. */
    static Duration backoff(Duration base, Duration max, int attempt) {
        int shift = Math.min(30, Math.max(0, attempt - 1));
        Duration delay = base.multipliedBy(1L << shift);
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
