package dev.conversa.notification.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code notification.webhook_deliveries}: the durable delivery log. Rows are claimed with
 * {@code FOR UPDATE SKIP LOCKED}: a claim moves {@code next_attempt_at} forward by the lease and sets a
 * {@code claim_token}; the attempt's result is written only while that token is still the row's, so an instance
 * whose lease ran out (and whose row another instance claimed) cannot overwrite the newer attempt.
 */
@Component
class DeliveryStore {

    /** A delivery to queue: one event for one subscription. */
    record NewDelivery(UUID id, UUID subscriptionId, String tenantId, String eventId, String eventType,
            String body) {
    }

    /** What the subscription's failure counter did after a failed attempt. */
    record FailureCount(boolean justDisabled, String tenantId, String url, int consecutiveFailures) {
    }

    private static final String VIEW_COLUMNS = "id, event_id, event_type, status, attempts, last_status_code, "
            + "last_error, last_attempt_at, next_attempt_at, delivered_at, created_at";

    private final DatabaseClient db;

    DeliveryStore(DatabaseClient db) {
        this.db = db;
    }

    /** Inserts in one statement; a (subscription, event) pair already queued is skipped. Answers rows inserted. */
    Mono<Long> enqueue(List<NewDelivery> deliveries) {
        if (deliveries.isEmpty()) {
            return Mono.just(0L);
        }
        int size = deliveries.size();
        UUID[] ids = new UUID[size];
        UUID[] subscriptions = new UUID[size];
        String[] tenants = new String[size];
        String[] events = new String[size];
        String[] types = new String[size];
        String[] bodies = new String[size];
        for (int i = 0; i < size; i++) {
            NewDelivery delivery = deliveries.get(i);
            ids[i] = delivery.id();
            subscriptions[i] = delivery.subscriptionId();
            tenants[i] = delivery.tenantId();
            events[i] = delivery.eventId();
            types[i] = delivery.eventType();
            bodies[i] = delivery.body();
        }
        return db.sql("""
                INSERT INTO notification.webhook_deliveries (id, subscription_id, tenant_id, event_id, event_type, body)
                SELECT u.id, u.subscription_id, u.tenant_id, u.event_id, u.event_type, u.body
                  FROM unnest(:ids::uuid[], :subscriptions::uuid[], :tenants::text[], :events::text[],
                              :types::text[], :bodies::text[])
                       AS u(id, subscription_id, tenant_id, event_id, event_type, body)
                  JOIN notification.webhook_subscriptions s ON s.id = u.subscription_id
                ON CONFLICT (subscription_id, event_id) DO NOTHING
                """)
                .bind("ids", ids).bind("subscriptions", subscriptions).bind("tenants", tenants)
                .bind("events", events).bind("types", types).bind("bodies", bodies)
                .fetch().rowsUpdated();
    }

    /** Claims up to {@code limit} due deliveries of active subscriptions for {@code lease}. */
    Flux<ClaimedDelivery> claim(String owner, int limit, Duration lease) {
        UUID token = UUID.randomUUID();
        return db.sql("""
                WITH due AS (
                    SELECT d.id FROM notification.webhook_deliveries d
                      JOIN notification.webhook_subscriptions s ON s.id = d.subscription_id
                     WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND s.active
                     ORDER BY d.next_attempt_at
                     LIMIT :limit
                       FOR UPDATE OF d SKIP LOCKED)
                UPDATE notification.webhook_deliveries d
                   SET next_attempt_at = now() + make_interval(secs => :lease), claimed_by = :owner,
                       claim_token = :token, updated_at = now()
                  FROM due, notification.webhook_subscriptions s
                 WHERE d.id = due.id AND s.id = d.subscription_id
                RETURNING d.id, d.subscription_id, d.tenant_id, d.event_id, d.body, d.attempts, d.retry_from,
                          s.url, s.secret_encrypted
                """)
                .bind("limit", limit).bind("lease", lease.toMillis() / 1000.0).bind("owner", owner)
                .bind("token", token)
                .map(row -> new ClaimedDelivery(row.get("id", UUID.class), row.get("subscription_id", UUID.class),
                        row.get("tenant_id", String.class), row.get("event_id", String.class),
                        row.get("body", String.class), row.get("attempts", Integer.class),
                        SubscriptionStore.instant(row, "retry_from"), row.get("url", String.class),
                        SubscriptionStore.bytes(row.get("secret_encrypted")), token))
                .all();
    }

    /** The attempt succeeded. Answers whether the claim was still ours. */
    Mono<Boolean> delivered(ClaimedDelivery delivery, int statusCode) {
        return db.sql("""
                UPDATE notification.webhook_deliveries
                   SET status = 'delivered', attempts = attempts + 1, last_status_code = :code, last_error = NULL,
                       last_attempt_at = now(), delivered_at = now(), claim_token = NULL, updated_at = now()
                 WHERE id = :id AND claim_token = :token
                """)
                .bind("code", statusCode).bind("id", delivery.id()).bind("token", delivery.claimToken())
                .fetch().rowsUpdated().map(count -> count > 0);
    }

    /**
     * The attempt failed: retried at {@code nextAttempt}, or failed for good when it is null. Answers whether the
     * claim was still ours.
     */
    Mono<Boolean> attemptFailed(ClaimedDelivery delivery, @Nullable Integer statusCode, String error,
            @Nullable Instant nextAttempt) {
        var spec = db.sql("UPDATE notification.webhook_deliveries SET attempts = attempts + 1, "
                + "last_status_code = :code, last_error = :error, last_attempt_at = now(), claim_token = NULL, "
                + (nextAttempt == null ? "status = 'failed', " : "next_attempt_at = :next, ")
                + "updated_at = now() WHERE id = :id AND claim_token = :token")
                .bind("error", truncate(error)).bind("id", delivery.id()).bind("token", delivery.claimToken());
        spec = statusCode == null ? spec.bindNull("code", Integer.class) : spec.bind("code", statusCode);
        if (nextAttempt != null) {
            spec = spec.bind("next", nextAttempt.atOffset(ZoneOffset.UTC));
        }
        return spec.fetch().rowsUpdated().map(count -> count > 0);
    }

    Mono<Void> resetFailures(UUID subscriptionId) {
        return db.sql("UPDATE notification.webhook_subscriptions SET consecutive_failures = 0 "
                + "WHERE id = :id AND consecutive_failures <> 0")
                .bind("id", subscriptionId).fetch().rowsUpdated().then();
    }

    /** Counts a failed attempt; the subscription is disabled when it reaches {@code threshold} in a row. */
    Mono<FailureCount> countFailure(UUID subscriptionId, int threshold, String reason) {
        return db.sql("""
                WITH before AS (
                    SELECT id, active FROM notification.webhook_subscriptions WHERE id = :id FOR UPDATE)
                UPDATE notification.webhook_subscriptions s
                   SET consecutive_failures = s.consecutive_failures + 1,
                       active = s.active AND s.consecutive_failures + 1 < :threshold,
                       disabled_at = CASE WHEN s.active AND s.consecutive_failures + 1 >= :threshold
                                          THEN now() ELSE s.disabled_at END,
                       disabled_reason = CASE WHEN s.active AND s.consecutive_failures + 1 >= :threshold
                                              THEN :reason ELSE s.disabled_reason END,
                       updated_at = now()
                  FROM before
                 WHERE s.id = before.id
                RETURNING before.active AS was_active, s.active AS active, s.tenant_id, s.url,
                          s.consecutive_failures
                """)
                .bind("id", subscriptionId).bind("threshold", threshold).bind("reason", truncate(reason))
                .map(row -> new FailureCount(
                        Boolean.TRUE.equals(row.get("was_active", Boolean.class))
                                && !Boolean.TRUE.equals(row.get("active", Boolean.class)),
                        row.get("tenant_id", String.class), row.get("url", String.class),
                        row.get("consecutive_failures", Integer.class)))
                .one();
    }

    /** A subscription's deliveries, newest first. */
    Flux<DeliveryView> history(String tenantId, UUID subscriptionId, @Nullable String status, @Nullable UUID after,
            int limit) {
        var spec = db.sql("SELECT " + VIEW_COLUMNS + " FROM notification.webhook_deliveries "
                + "WHERE tenant_id = :tenant AND subscription_id = :subscription "
                + (status == null ? "" : "AND status = :status ")
                + (after == null ? "" : "AND id < :after ")
                + "ORDER BY id DESC LIMIT :limit")
                .bind("tenant", tenantId).bind("subscription", subscriptionId).bind("limit", limit);
        if (status != null) {
            spec = spec.bind("status", status);
        }
        if (after != null) {
            spec = spec.bind("after", after);
        }
        return spec.map(DeliveryStore::view).all();
    }

    /** Makes a delivery due now with a fresh retry window, whatever its status. */
    Mono<DeliveryView> replay(String tenantId, UUID subscriptionId, UUID deliveryId) {
        return db.sql("UPDATE notification.webhook_deliveries SET status = 'pending', next_attempt_at = now(), "
                + "retry_from = now(), claim_token = NULL, updated_at = now() "
                + "WHERE tenant_id = :tenant AND subscription_id = :subscription AND id = :id "
                + "RETURNING " + VIEW_COLUMNS)
                .bind("tenant", tenantId).bind("subscription", subscriptionId).bind("id", deliveryId)
                .map(DeliveryStore::view).one();
    }

    private static DeliveryView view(Readable row) {
        String status = row.get("status", String.class);
        return new DeliveryView(row.get("id", UUID.class), row.get("event_id", String.class),
                row.get("event_type", String.class), status, row.get("attempts", Integer.class),
                row.get("last_status_code", Integer.class), row.get("last_error", String.class),
                SubscriptionStore.instant(row, "last_attempt_at"),
                "pending".equals(status) ? SubscriptionStore.instant(row, "next_attempt_at") : null,
                SubscriptionStore.instant(row, "delivered_at"), SubscriptionStore.instant(row, "created_at"));
    }

    private static String truncate(String text) {
        return text.length() <= 500 ? text : text.substring(0, 500);
    }
}
