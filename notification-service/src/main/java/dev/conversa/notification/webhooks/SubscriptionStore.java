package dev.conversa.notification.webhooks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** {@code notification.webhook_subscriptions}: every query is scoped to a tenant. */
@Component
class SubscriptionStore {

    private static final String COLUMNS = "id, tenant_id, url, event_types, secret_encrypted, active, "
            + "consecutive_failures, disabled_at, disabled_reason, created_at, updated_at";

    private final DatabaseClient db;

    SubscriptionStore(DatabaseClient db) {
        this.db = db;
    }

    Mono<Subscription> insert(UUID id, String tenantId, String url, List<String> eventTypes, byte[] secret) {
        return db.sql("INSERT INTO notification.webhook_subscriptions (id, tenant_id, url, event_types, "
                + "secret_encrypted) VALUES (:id, :tenant, :url, :types, :secret) RETURNING " + COLUMNS)
                .bind("id", id).bind("tenant", tenantId).bind("url", url)
                .bind("types", eventTypes.toArray(String[]::new)).bind("secret", secret)
                .map(SubscriptionStore::subscription).one();
    }

    Mono<Long> count(String tenantId) {
        return db.sql("SELECT count(*) FROM notification.webhook_subscriptions WHERE tenant_id = :tenant")
                .bind("tenant", tenantId).map(row -> row.get(0, Long.class)).one();
    }

    Mono<Subscription> find(String tenantId, UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM notification.webhook_subscriptions "
                + "WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id)
                .map(SubscriptionStore::subscription).one();
    }

    /** Newest first, after {@code after} (exclusive), at most {@code limit}. */
    Flux<Subscription> page(String tenantId, @Nullable UUID after, int limit) {
        var spec = db.sql("SELECT " + COLUMNS + " FROM notification.webhook_subscriptions WHERE tenant_id = :tenant "
                + (after == null ? "" : "AND id < :after ") + "ORDER BY id DESC LIMIT :limit")
                .bind("tenant", tenantId).bind("limit", limit);
        if (after != null) {
            spec = spec.bind("after", after);
        }
        return spec.map(SubscriptionStore::subscription).all();
    }

    /** Updates url, types, optionally the secret and the active flag; re-activating clears the failure count. */
    Mono<Subscription> update(String tenantId, UUID id, String url, List<String> eventTypes,
            byte @Nullable [] secret, @Nullable Boolean active) {
        var spec = db.sql("UPDATE notification.webhook_subscriptions SET url = :url, event_types = :types, "
                + (secret == null ? "" : "secret_encrypted = :secret, ")
                + (active == null ? "" : "consecutive_failures = CASE WHEN :active AND NOT active THEN 0 "
                        + "ELSE consecutive_failures END, "
                        + "disabled_at = CASE WHEN :active THEN NULL ELSE disabled_at END, "
                        + "disabled_reason = CASE WHEN :active THEN NULL ELSE disabled_reason END, "
                        + "active = :active, ")
                + "updated_at = now() WHERE tenant_id = :tenant AND id = :id RETURNING " + COLUMNS)
                .bind("tenant", tenantId).bind("id", id).bind("url", url)
                .bind("types", eventTypes.toArray(String[]::new));
        if (secret != null) {
            spec = spec.bind("secret", secret);
        }
        if (active != null) {
            spec = spec.bind("active", active);
        }
        return spec.map(SubscriptionStore::subscription).one();
    }

    Mono<Boolean> delete(String tenantId, UUID id) {
        return db.sql("DELETE FROM notification.webhook_subscriptions WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId).bind("id", id)
                .fetch().rowsUpdated().map(count -> count > 0);
    }

    /** Active subscriptions of the given tenants: the candidates for a batch of events. */
    Flux<Subscription> activeOf(List<String> tenantIds) {
        return db.sql("SELECT " + COLUMNS + " FROM notification.webhook_subscriptions "
                + "WHERE active AND tenant_id = ANY(:tenants)")
                .bind("tenants", tenantIds.toArray(String[]::new))
                .map(SubscriptionStore::subscription).all();
    }

    static Subscription subscription(Readable row) {
        String[] types = row.get("event_types", String[].class);
        return new Subscription(row.get("id", UUID.class), row.get("tenant_id", String.class),
                row.get("url", String.class), types == null ? List.of() : Arrays.asList(types),
                bytes(row.get("secret_encrypted")), Boolean.TRUE.equals(row.get("active", Boolean.class)),
                row.get("consecutive_failures", Integer.class), instant(row, "disabled_at"),
                row.get("disabled_reason", String.class), instant(row, "created_at"), instant(row, "updated_at"));
    }

    static byte[] bytes(@Nullable Object value) {
        return switch (value) {
            case null -> new byte[0];
            case byte[] array -> array;
            case java.nio.ByteBuffer buffer -> {
                byte[] array = new byte[buffer.remaining()];
                buffer.duplicate().get(array);
                yield array;
            }
            default -> throw new IllegalStateException("Unexpected bytea value " + value.getClass());
        };
    }

    static @Nullable Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
