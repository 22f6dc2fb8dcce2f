package dev.conversa.campaign.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.campaign.campaigns.CampaignCompletion;
import dev.conversa.campaign.campaigns.CampaignCounters;
import dev.conversa.campaign.campaigns.CampaignEvents;
import dev.conversa.campaign.stats.RecipientOutcome;
import dev.conversa.campaign.stats.StatisticsStore;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.message.MessageStatusChanged;
import reactor.core.publisher.Mono;

/**
 * Applies a batch of {@code wa.message.status} events to the recipients whose current attempt they are about
 * (matched by idempotency key {@code campaign:…}; statuses of other senders and of earlier attempts find no row and
 * are ignored). In one transaction: the rows are locked in id order, moved by {@link RecipientState}'s rules in
 * arrival order, written back with one statement; the campaign counters move, the statistics record each outcome,
 * and running campaigns left with nothing to send finish. The finish events are published after commit.
 */
@Component
public class RecipientStatusRecorder {

    static final String KEY_PREFIX = "campaign:";

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final CampaignCounters counters;
    private final CampaignCompletion completion;
    private final CampaignEvents events;
    private final StatisticsStore statistics;
    private final DispatchProperties properties;
    private final Clock clock;
    private final Map<RecipientOutcome.Outcome, Counter> reached = new EnumMap<>(RecipientOutcome.Outcome.class);

    public RecipientStatusRecorder(DatabaseClient db, TransactionalOperator transaction, CampaignCounters counters,
            CampaignCompletion completion, CampaignEvents events, StatisticsStore statistics,
            DispatchProperties properties, Clock clock, MeterRegistry meters) {
        for (RecipientOutcome.Outcome outcome : RecipientOutcome.Outcome.values()) {
            reached.put(outcome, Counter.builder("conversa.campaign.outcomes")
                    .tag("outcome", outcome.name().toLowerCase())
                    .description("Campaign recipients by the stage they reached").register(meters));
        }
        this.db = db;
        this.transaction = transaction;
        this.counters = counters;
        this.completion = completion;
        this.events = events;
        this.statistics = statistics;
        this.properties = properties;
        this.clock = clock;
    }

    public Mono<Void> record(List<EventEnvelope<MessageStatusChanged>> batch) {
        return apply(batch.stream().map(EventEnvelope::payload).toList());
    }

    /** Applies the statuses (in arrival order) and announces finished campaigns. */
    public Mono<Void> apply(List<MessageStatusChanged> statuses) {
        List<MessageStatusChanged> ours = statuses.stream()
                .filter(status -> status.idempotencyKey() != null
                        && status.idempotencyKey().startsWith(KEY_PREFIX))
                .toList();
        if (ours.isEmpty()) {
            return Mono.empty();
        }
        List<RecipientOutcome> outcomes = new ArrayList<>();
        return Mono.defer(() -> store(ours, clock.instant(), outcomes))
                .as(transaction::transactional)
                .doOnSuccess(committed -> count(outcomes))
                .flatMap(events::announce);
    }

    /** {@code conversa.campaign.outcomes{outcome}}: recipients that reached sent, delivered, read or failed. */
    private void count(List<RecipientOutcome> outcomes) {
        outcomes.forEach(outcome -> reached.get(outcome.outcome()).increment());
    }

    private Mono<List<CampaignEvents.Announcement>> store(List<MessageStatusChanged> statuses, Instant now,
            List<RecipientOutcome> outcomes) {
        Set<String> keys = statuses.stream().map(MessageStatusChanged::idempotencyKey)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return lock(keys).flatMap(rows -> {
            Map<String, RecipientState> byKey = rows.stream()
                    .collect(Collectors.toMap(Keyed::key, Keyed::state));
            outcomes.clear();
            Function<Integer, Duration> backoff = attempt -> RecipientState.backoff(properties.retryBase(),
                    properties.retryMax(), attempt);
            for (MessageStatusChanged status : statuses) {
                RecipientState state = byKey.get(status.idempotencyKey());
                if (state != null && state.tenantId.equals(status.tenantId())) {
                    outcomes.addAll(state.apply(status, backoff::apply, now));
                }
            }
            List<RecipientState> changed = byKey.values().stream().filter(state -> state.changed).toList();
            if (changed.isEmpty()) {
                return Mono.just(List.<CampaignEvents.Announcement>of());
            }
            CampaignCounters.Deltas deltas = new CampaignCounters.Deltas();
            changed.forEach(state -> deltas.move(state.campaignId, state.originalStatus, state.status));
            return write(changed, now)
                    .then(counters.apply(deltas, now))
                    .then(statistics.record(outcomes))
                    .then(completion.finishDone(deltas.campaigns(), now));
        });
    }

    private record Keyed(String key, RecipientState state) {
    }

    private Mono<List<Keyed>> lock(Set<String> keys) {
        return db.sql("""
                SELECT r.id, r.campaign_id, r.tenant_id, r.contact_id, r.phone, r.groups, r.status, r.attempt,
                       r.idempotency_key, r.wa_message_id, r.accepted_at, r.sent_at, r.delivered_at, r.read_at,
                       c.time_zone, c.max_attempts
                  FROM campaign.recipients r JOIN campaign.campaigns c ON c.id = r.campaign_id
                 WHERE r.idempotency_key = ANY(:keys::text[])
                 ORDER BY r.id
                   FOR UPDATE OF r""")
                .bind("keys", keys.toArray(String[]::new))
                .map(row -> {
                    String[] groups = row.get("groups", String[].class);
                    return new Keyed(row.get("idempotency_key", String.class), new RecipientState(
                            row.get("id", UUID.class), row.get("campaign_id", UUID.class),
                            row.get("tenant_id", String.class), row.get("contact_id", UUID.class),
                            row.get("phone", String.class), groups == null ? List.of() : List.of(groups),
                            row.get("time_zone", String.class), row.get("max_attempts", Integer.class),
                            row.get("attempt", Integer.class), row.get("status", String.class),
                            row.get("wa_message_id", String.class), row.get("accepted_at", Instant.class),
                            row.get("sent_at", Instant.class), row.get("delivered_at", Instant.class),
                            row.get("read_at", Instant.class)));
                })
                .all()
                .collectList();
    }

    private Mono<Long> write(List<RecipientState> changed, Instant now) {
        int n = changed.size();
        UUID[] ids = new UUID[n];
        String[] statuses = new String[n];
        String[] waIds = new String[n];
        String[] accepted = new String[n];
        String[] sent = new String[n];
        String[] delivered = new String[n];
        String[] read = new String[n];
        String[] failed = new String[n];
        String[] next = new String[n];
        Integer[] codes = new Integer[n];
        String[] reasons = new String[n];
        for (int i = 0; i < n; i++) {
            RecipientState state = changed.get(i);
            ids[i] = state.id;
            statuses[i] = state.status;
            waIds[i] = state.waMessageId;
            accepted[i] = text(state.acceptedAt);
            sent[i] = text(state.sentAt);
            delivered[i] = text(state.deliveredAt);
            read[i] = text(state.readAt);
            failed[i] = text(state.failedAt);
            next[i] = text(state.nextAttemptAt);
            codes[i] = state.errorCode;
            reasons[i] = state.failureReason;
        }
        return db.sql("""
                UPDATE campaign.recipients r
                   SET status = u.status, wa_message_id = u.wa_message_id, accepted_at = u.accepted_at,
                       sent_at = u.sent_at, delivered_at = u.delivered_at, read_at = u.read_at,
                       failed_at = coalesce(u.failed_at, r.failed_at),
                       next_attempt_at = coalesce(u.next_attempt_at, r.next_attempt_at),
                       error_code = coalesce(u.error_code, r.error_code),
                       failure_reason = coalesce(u.failure_reason, r.failure_reason),
                       updated_at = :now
                  FROM unnest(:ids::uuid[], :statuses::text[], :waIds::text[], :accepted::timestamptz[],
                              :sent::timestamptz[], :delivered::timestamptz[], :read::timestamptz[],
                              :failed::timestamptz[], :next::timestamptz[], :codes::int[], :reasons::text[])
                       AS u(id, status, wa_message_id, accepted_at, sent_at, delivered_at, read_at, failed_at,
                            next_attempt_at, error_code, failure_reason)
                 WHERE r.id = u.id""")
                .bind("ids", ids)
                .bind("statuses", statuses)
                .bind("waIds", waIds)
                .bind("accepted", accepted)
                .bind("sent", sent)
                .bind("delivered", delivered)
                .bind("read", read)
                .bind("failed", failed)
                .bind("next", next)
                .bind("codes", codes)
                .bind("reasons", reasons)
                .bind("now", now)
                .fetch()
                .rowsUpdated();
    }

    private static @Nullable String text(@Nullable Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
