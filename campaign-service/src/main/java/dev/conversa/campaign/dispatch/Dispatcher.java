package dev.conversa.campaign.dispatch;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.campaign.campaigns.CampaignCounters;
import dev.conversa.campaign.campaigns.SendWindow;
import dev.conversa.web.id.Uuids;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Claims due recipients session by session and hands their commands to {@link SendCommands}. For one session, one
 * transaction:
 *
 * <ol>
 * <li>locks the session's pacing row if its next slot is due ({@code FOR UPDATE SKIP LOCKED}: another instance
 * dispatching the same session makes this one skip it, so a session's pace is never spent twice);</li>
 * <li>rolls the day over, applies the daily cap with its warm-up ramp (a session at its cap sleeps until the next
 * day);</li>
 * <li>keeps the running campaigns of the session whose window and days allow sending now, in their time zone;</li>
 * <li>claims up to {@code k} due pending recipients, where {@code k} is how many slots the pace allows since the
 * last send (at most a burst window's worth, plus whatever fell due while this tick was late:
 * {@link Pacing#catchUpWindow}), round robin across the campaigns;</li>
 * <li>marks them queued with attempt + 1, idempotency key {@code campaign:<recipient>:<attempt>} and a new message
 * id, moves the counters, and moves the session's next slot {@code k} jittered intervals on.</li>
 * </ol>
 *
 * Only after the commit are the commands published. If that fails or the process dies first, the recipients are
 * queued with their key and message id stored, and {@link CommandSweeper} publishes exactly those commands again.
 */
@Component
public class Dispatcher {

    private static final Logger log = LoggerFactory.getLogger(Dispatcher.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final CampaignCounters counters;
    private final SendCommands commands;
    private final DispatchProperties properties;
    private final Clock clock;
    /** When this instance's previous tick started (ticks run one at a time). */
    private volatile @Nullable Instant previousTick;

    public Dispatcher(DatabaseClient db, TransactionalOperator transaction, CampaignCounters counters,
            SendCommands commands, DispatchProperties properties, Clock clock) {
        this.db = db;
        this.transaction = transaction;
        this.counters = counters;
        this.commands = commands;
        this.properties = properties;
        this.clock = clock;
    }

    /** One round over every due session; answers how many recipients were queued. */
    public Mono<Integer> tick() {
        Instant now = clock.instant();
        Duration catchUp = Pacing.catchUpWindow(properties.burstWindow(), previousTick, now);
        previousTick = now;
        return dueSessions(now)
                .flatMap(session -> dispatch(session, now, catchUp)
                        .onErrorResume(error -> {
                            log.warn("Dispatch of session {} failed: {}", session, error.toString());
                            return Mono.just(0);
                        }), properties.sessionConcurrency())
                .reduce(0, Integer::sum);
    }

    /** Sessions whose next slot is due and that a running campaign sends from. */
    Flux<UUID> dueSessions(Instant now) {
        return db.sql("""
                SELECT p.session_id FROM campaign.session_pacing p
                 WHERE p.next_send_at <= :now
                   AND p.session_id IN (SELECT unnest(session_ids) FROM campaign.campaigns WHERE status = 'running')""")
                .bind("now", now)
                .map(row -> row.get("session_id", UUID.class))
                .all();
    }

    /**
     * Claims and queues the session's due recipients (catching up at most {@code catchUp} of its pace), then
     * publishes their commands; answers how many.
     */
    Mono<Integer> dispatch(UUID sessionId, Instant now, Duration catchUp) {
        return claim(sessionId, now, catchUp)
                .as(transaction::transactional)
                .flatMap(queued -> queued.isEmpty() ? Mono.just(0)
                        : commands.publish(queued)
                                .thenReturn(queued.size())
                                .onErrorResume(error -> {
                                    // durable as queued: the sweeper publishes the same commands again
                                    log.warn("Publishing {} commands of session {} failed, the sweeper will retry: "
                                            + "{}", queued.size(), sessionId, error.toString());
                                    return Mono.just(queued.size());
                                }))
                .defaultIfEmpty(0);
    }

    /** The claim transaction's body (see the class comment); empty when the session is not due or locked. */
    Mono<List<SendCommands.Queued>> claim(UUID sessionId, Instant now, Duration catchUp) {
        LocalDate today = now.atZone(properties.pacingZone()).toLocalDate();
        return lockPacing(sessionId, now).flatMap(pacing -> {
            int remaining = pacing.remainingOn(today);
            if (remaining <= 0) {
                Instant tomorrow = Pacing.startOfNextDay(today, properties.pacingZone());
                log.debug("Session {} reached its daily cap of {}; sleeps until {}", sessionId, pacing.capOn(today),
                        tomorrow);
                return savePacing(sessionId, tomorrow, today, pacing.sentOn(today), pacing.firstSendOn())
                        .thenReturn(List.<SendCommands.Queued>of());
            }
            int maxBurst = pacing.maxBurst(catchUp);
            int slots = Math.min(Math.min(pacing.dueSlots(now, maxBurst), remaining), properties.maxBatch());
            return sendableCampaigns(sessionId, now)
                    .flatMap(campaigns -> campaigns.isEmpty() ? Mono.just(List.<UUID>of())
                            : candidates(sessionId, campaigns, slots, now))
                    .flatMap(claimed -> {
                        if (claimed.isEmpty()) {
                            return Mono.just(List.<SendCommands.Queued>of());
                        }
                        Instant next = pacing.nextAfter(claimed.size(), now, maxBurst, ThreadLocalRandom.current());
                        LocalDate first = pacing.firstSendOn() == null ? today : pacing.firstSendOn();
                        return queue(claimed, now)
                                .flatMap(queued -> moveCounters(queued, now)
                                        .then(savePacing(sessionId, next, today,
                                                pacing.sentOn(today) + queued.size(), first))
                                        .thenReturn(queued));
                    });
        });
    }

    private Mono<Pacing> lockPacing(UUID sessionId, Instant now) {
        return db.sql("""
                SELECT messages_per_minute, jitter_percent, daily_cap, warmup_days, warmup_start_cap, first_send_on,
                       next_send_at, day, sent_on_day
                  FROM campaign.session_pacing
                 WHERE session_id = :session AND next_send_at <= :now
                   FOR UPDATE SKIP LOCKED""")
                .bind("session", sessionId)
                .bind("now", now)
                .map(row -> new Pacing(row.get("messages_per_minute", Integer.class),
                        row.get("jitter_percent", Integer.class), row.get("daily_cap", Integer.class),
                        row.get("warmup_days", Integer.class), row.get("warmup_start_cap", Integer.class),
                        row.get("first_send_on", LocalDate.class), row.get("next_send_at", Instant.class),
                        row.get("day", LocalDate.class), row.get("sent_on_day", Integer.class)))
                .one();
    }

    private Mono<Long> savePacing(UUID sessionId, Instant next, LocalDate day, int sentOnDay, LocalDate firstSendOn) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                UPDATE campaign.session_pacing
                   SET next_send_at = :next, day = :day, sent_on_day = :sent, first_send_on = :first,
                       updated_at = now()
                 WHERE session_id = :session""")
                .bind("session", sessionId)
                .bind("next", next)
                .bind("day", day)
                .bind("sent", sentOnDay);
        spec = firstSendOn == null ? spec.bindNull("first", LocalDate.class) : spec.bind("first", firstSendOn);
        return spec.fetch().rowsUpdated();
    }

    /** Running campaigns sending from the session whose window and days allow a send now. */
    private Mono<List<UUID>> sendableCampaigns(UUID sessionId, Instant now) {
        return db.sql("""
                SELECT id, time_zone, window_start, window_end, days FROM campaign.campaigns
                 WHERE status = 'running' AND :session = ANY(session_ids)""")
                .bind("session", sessionId)
                .map(row -> Map.entry(row.get("id", UUID.class), window(row)))
                .all()
                .filter(entry -> entry.getValue().allows(now))
                .map(Map.Entry::getKey)
                .collectList();
    }

    private static SendWindow window(Readable row) {
        Short[] days = row.get("days", Short[].class);
        Set<Integer> isoDays = days == null ? Set.of()
                : Arrays.stream(days).map(Short::intValue).collect(Collectors.toSet());
        return new SendWindow(ZoneId.of(row.get("time_zone", String.class)),
                row.get("window_start", LocalTime.class), row.get("window_end", LocalTime.class), isoDays);
    }

    /**
     * Locks up to {@code slots} due pending recipients of each campaign (oldest due first) and keeps {@code slots}
     * of them, taking from the campaigns in turn, starting with a random one: campaigns sharing a session share its
     * pace.
     */
    private Mono<List<UUID>> candidates(UUID sessionId, List<UUID> campaigns, int slots, Instant now) {
        return db.sql("""
                SELECT x.id, x.campaign_id
                  FROM unnest(:campaigns::uuid[]) AS c(id)
                 CROSS JOIN LATERAL (
                       SELECT r.id, r.campaign_id FROM campaign.recipients r
                        WHERE r.campaign_id = c.id AND r.session_id = :session AND r.status = 'pending'
                          AND r.next_attempt_at <= :now
                        ORDER BY r.next_attempt_at, r.id
                        LIMIT :slots
                          FOR UPDATE SKIP LOCKED) x""")
                .bind("campaigns", campaigns.toArray(UUID[]::new))
                .bind("session", sessionId)
                .bind("now", now)
                .bind("slots", slots)
                .map(row -> Map.entry(row.get("campaign_id", UUID.class), row.get("id", UUID.class)))
                .all()
                .collectList()
                .map(rows -> roundRobin(rows, slots));
    }

    static List<UUID> roundRobin(List<Map.Entry<UUID, UUID>> rows, int slots) {
        Map<UUID, Deque<UUID>> byCampaign = new LinkedHashMap<>();
        rows.forEach(row -> byCampaign.computeIfAbsent(row.getKey(), id -> new ArrayDeque<>()).add(row.getValue()));
        List<Deque<UUID>> queues = new ArrayList<>(byCampaign.values());
        if (queues.size() > 1) {
            Collections.rotate(queues, ThreadLocalRandom.current().nextInt(queues.size()));
        }
        List<UUID> chosen = new ArrayList<>(slots);
        while (chosen.size() < slots && queues.stream().anyMatch(queue -> !queue.isEmpty())) {
            for (Deque<UUID> queue : queues) {
                if (!queue.isEmpty() && chosen.size() < slots) {
                    chosen.add(queue.poll());
                }
            }
        }
        return chosen;
    }

    /** Marks the claimed recipients queued for their next attempt; answers what their commands need. */
    private Mono<List<SendCommands.Queued>> queue(List<UUID> ids, Instant now) {
        UUID[] messageIds = new UUID[ids.size()];
        for (int i = 0; i < messageIds.length; i++) {
            messageIds[i] = Uuids.v7();
        }
        return db.sql("""
                UPDATE campaign.recipients r
                   SET status = 'queued', attempt = r.attempt + 1,
                       idempotency_key = 'campaign:' || r.id || ':' || (r.attempt + 1),
                       message_id = u.message_id, queued_at = :now, next_attempt_at = NULL, accepted_at = NULL,
                       last_published_at = NULL, updated_at = now()
                  FROM unnest(:ids::uuid[], :messageIds::uuid[]) AS u(id, message_id),
                       campaign.campaigns c
                 WHERE r.id = u.id AND r.status = 'pending' AND c.id = r.campaign_id
                RETURNING r.id, r.campaign_id, r.tenant_id, r.session_id, r.phone, r.name,
                          r.attributes::text AS attributes, c.message::text AS message, r.idempotency_key,
                          r.message_id, r.queued_at""")
                .bind("ids", ids.toArray(UUID[]::new))
                .bind("messageIds", messageIds)
                .bind("now", now)
                .map(Dispatcher::queued)
                .all()
                .collectList();
    }

    static SendCommands.Queued queued(Readable row) {
        return new SendCommands.Queued(row.get("id", UUID.class), row.get("campaign_id", UUID.class),
                row.get("tenant_id", String.class), row.get("session_id", UUID.class), row.get("phone", String.class),
                row.get("name", String.class), row.get("attributes", String.class), row.get("message", String.class),
                row.get("idempotency_key", String.class), row.get("message_id", UUID.class),
                row.get("queued_at", Instant.class));
    }

    private Mono<Void> moveCounters(List<SendCommands.Queued> queued, Instant now) {
        CampaignCounters.Deltas deltas = new CampaignCounters.Deltas();
        queued.forEach(one -> deltas.move(one.campaignId(), "pending", "queued"));
        return counters.apply(deltas, now);
    }
}
