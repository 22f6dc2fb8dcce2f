package dev.conversa.campaign.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.campaign.stats.RecipientOutcome;
import dev.conversa.campaign.stats.RecipientOutcome.Outcome;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageStatusChanged;

class RecipientStateTest {

    private static final Instant NOW = Instant.parse("2026-03-02T12:00:00Z");

    private static RecipientState queued(int attempt, int maxAttempts) {
        return new RecipientState(UUID.randomUUID(), UUID.randomUUID(), "t", null, "+5491100000000", List.of("vip"),
                "UTC", maxAttempts, attempt, "queued", null, null, null, null, null);
    }

    private static MessageStatusChanged status(DeliveryStatus status, Boolean retryable) {
        return new MessageStatusChanged("t", UUID.randomUUID(), null, "wamid.1", "campaign:x:1", "c",
                "+5491100000000", status, status == DeliveryStatus.FAILED ? 131000 : null,
                status == DeliveryStatus.FAILED ? "Something went wrong" : null, retryable, NOW);
    }

    private static List<Outcome> apply(RecipientState state, DeliveryStatus... statuses) {
        List<RecipientOutcome> outcomes = new ArrayList<>();
        for (DeliveryStatus status : statuses) {
            outcomes.addAll(state.apply(status(status, null), attempt -> Duration.ofSeconds(1), NOW));
        }
        return outcomes.stream().map(RecipientOutcome::outcome).toList();
    }

    @Test
    void readBeforeSentEndsReadAndYieldsEachOutcomeOnce() {
        RecipientState state = queued(1, 3);
        assertThat(apply(state, DeliveryStatus.READ, DeliveryStatus.SENT, DeliveryStatus.DELIVERED))
                .containsExactly(Outcome.SENT, Outcome.DELIVERED, Outcome.READ);
        assertThat(state.status).isEqualTo("read");
    }

    @Test
    void acceptedChangesNothingButTheWhatsAppId() {
        RecipientState state = queued(1, 3);
        assertThat(apply(state, DeliveryStatus.ACCEPTED)).isEmpty();
        assertThat(state.status).isEqualTo("queued");
        assertThat(state.waMessageId).isEqualTo("wamid.1");
        assertThat(state.acceptedAt).isEqualTo(NOW);
    }

    @Test
    void deliveredThenSentStaysDelivered() {
        RecipientState state = queued(1, 3);
        assertThat(apply(state, DeliveryStatus.DELIVERED, DeliveryStatus.SENT))
                .containsExactly(Outcome.SENT, Outcome.DELIVERED);
        assertThat(state.status).isEqualTo("delivered");
    }

    @Test
    void retryableFailureGoesBackToPendingWithBackoffWhileAttemptsRemain() {
        RecipientState state = queued(2, 3);
        List<RecipientOutcome> outcomes = state.apply(status(DeliveryStatus.FAILED, true),
                attempt -> Duration.ofSeconds(10L * attempt), NOW);
        assertThat(outcomes).isEmpty();
        assertThat(state.status).isEqualTo("pending");
        assertThat(state.nextAttemptAt).isEqualTo(NOW.plusSeconds(20));
        assertThat(state.errorCode).isEqualTo(131000);
    }

    @Test
    void retryableFailureOfTheLastAttemptFailsForGood() {
        RecipientState state = queued(3, 3);
        List<RecipientOutcome> outcomes = state.apply(status(DeliveryStatus.FAILED, true),
                attempt -> Duration.ofSeconds(1), NOW);
        assertThat(state.status).isEqualTo("failed");
        assertThat(outcomes).extracting(RecipientOutcome::outcome).containsExactly(Outcome.FAILED);
        assertThat(outcomes.getFirst().failureReason()).isEqualTo("Something went wrong");
    }

    @Test
    void nonRetryableFailureFailsAtOnceAndNothingFollowsRead() {
        RecipientState failed = queued(1, 5);
        failed.apply(status(DeliveryStatus.FAILED, false), attempt -> Duration.ofSeconds(1), NOW);
        assertThat(failed.status).isEqualTo("failed");
        assertThat(apply(failed, DeliveryStatus.DELIVERED)).isEmpty();

        RecipientState read = queued(1, 5);
        apply(read, DeliveryStatus.READ);
        assertThat(apply(read, DeliveryStatus.FAILED)).isEmpty();
        assertThat(read.status).isEqualTo("read");
    }

    @Test
    void aPendingRecipientTakesNoStatus() {
        RecipientState state = new RecipientState(UUID.randomUUID(), UUID.randomUUID(), "t", null, "+1", List.of(),
                "UTC", 3, 1, "pending", null, null, null, null, null);
        assertThat(apply(state, DeliveryStatus.DELIVERED)).isEmpty();
        assertThat(state.changed).isFalse();
    }

    @Test
    void backoffDoublesPerAttemptUpToTheMaximum() {
        Duration base = Duration.ofSeconds(30);
        Duration max = Duration.ofMinutes(5);
        assertThat(RecipientState.backoff(base, max, 1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RecipientState.backoff(base, max, 2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(RecipientState.backoff(base, max, 4)).isEqualTo(Duration.ofSeconds(240));
        assertThat(RecipientState.backoff(base, max, 9)).isEqualTo(max);
    }
}
