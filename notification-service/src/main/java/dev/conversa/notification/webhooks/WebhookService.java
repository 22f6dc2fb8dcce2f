package dev.conversa.notification.webhooks;

import java.net.URI;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

import dev.conversa.web.id.Uuids;
import dev.conversa.web.paging.CursorPage;
import dev.conversa.web.paging.KeysetCursor;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Mono;

/** Subscriptions of a tenant: validation, SSRF check, secret generation and encryption, tenant scoping (404). */
@Service
class WebhookService {

    private static final String DELIVERIES_CURSOR = "d1";
    private static final String SUBSCRIPTIONS_CURSOR = "w1";

    static final int MAX_PAGE = 100;
    private static final Set<String> STATUSES = Set.of("pending", "delivered", "failed");

    /** A created or updated subscription and the secret to show once (null when unchanged). */
    record Saved(Subscription subscription, @Nullable String secret) {
    }

    private final SubscriptionStore subscriptions;
    private final DeliveryStore deliveries;
    private final SecretCipher cipher;
    private final TargetGuard guard;
    private final WebhookProperties properties;

    WebhookService(SubscriptionStore subscriptions, DeliveryStore deliveries, SecretCipher cipher, TargetGuard guard,
            WebhookProperties properties) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.cipher = cipher;
        this.guard = guard;
        this.properties = properties;
    }

    Mono<Saved> create(String tenantId, WebhookRequest request) {
        UUID id = Uuids.v7();
        String secret = request.secret() != null ? request.secret() : SecretCipher.newSecret();
        return checkTarget(request.url())
                .then(subscriptions.count(tenantId))
                .flatMap(count -> count >= properties.maxSubscriptionsPerTenant()
                        ? Mono.error(ApiException.conflict("a tenant has at most "
                                + properties.maxSubscriptionsPerTenant() + " webhook subscriptions"))
                        : subscriptions.insert(id, tenantId, request.url(), distinct(request.eventTypes()),
                                cipher.seal(secret, id)))
                .map(subscription -> new Saved(subscription, secret));
    }

    Mono<Subscription> get(String tenantId, UUID id) {
        return subscriptions.find(tenantId, id).switchIfEmpty(Mono.error(() -> ApiException.notFound("webhook", id)));
    }

    Mono<CursorPage<Subscription>> list(String tenantId, @Nullable String cursor, int size) {
        int limit = pageSize(size);
        UUID after = KeysetCursor.decodeId(SUBSCRIPTIONS_CURSOR, cursor);
        return subscriptions.page(tenantId, after, limit + 1).collectList()
                .map(items -> page(items, limit, item -> KeysetCursor.afterId(SUBSCRIPTIONS_CURSOR, item.id())));
    }

    Mono<Saved> update(String tenantId, UUID id, WebhookRequest request) {
        return get(tenantId, id)
                .flatMap(existing -> checkTarget(request.url()))
                .then(Mono.defer(() -> subscriptions.update(tenantId, id, request.url(),
                        distinct(request.eventTypes()),
                        request.secret() == null ? null : cipher.seal(request.secret(), id), request.active())))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("webhook", id)))
                .map(subscription -> new Saved(subscription, request.secret()));
    }

    Mono<Void> delete(String tenantId, UUID id) {
        return subscriptions.delete(tenantId, id)
                .flatMap(deleted -> deleted ? Mono.<Void>empty() : Mono.error(ApiException.notFound("webhook", id)));
    }

    Mono<CursorPage<DeliveryView>> deliveries(String tenantId, UUID id, @Nullable String status,
            @Nullable String cursor, int size) {
        if (status != null && !STATUSES.contains(status)) {
            return Mono.error(ApiException.badRequest("status must be one of pending, delivered, failed"));
        }
        int limit = pageSize(size);
        UUID after = KeysetCursor.decodeId(DELIVERIES_CURSOR, cursor);
        return get(tenantId, id)
                .flatMap(subscription -> deliveries.history(tenantId, id, status, after, limit + 1).collectList())
                .map(items -> page(items, limit, item -> KeysetCursor.afterId(DELIVERIES_CURSOR, item.id())));
    }

    Mono<DeliveryView> replay(String tenantId, UUID id, UUID deliveryId) {
        return get(tenantId, id)
                .flatMap(subscription -> subscription.active() ? deliveries.replay(tenantId, id, deliveryId)
                        : Mono.error(ApiException.conflict("webhook " + id
                                + " is disabled; re-enable it (PUT with active=true) before replaying")))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("delivery", deliveryId)));
    }

    private Mono<Void> checkTarget(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        }
        catch (IllegalArgumentException e) {
            return Mono.error(ApiException.badRequest("url is not a valid URL"));
        }
        return guard.check(uri).onErrorMap(TargetGuard.RefusedTargetException.class,
                refused -> ApiException.badRequest("url is not allowed: " + refused.getMessage()));
    }

    private static List<String> distinct(List<String> types) {
        return types.stream().distinct().toList();
    }

    private static int pageSize(int size) {
        if (size < 1 || size > MAX_PAGE) {
            throw ApiException.badRequest("size must be between 1 and " + MAX_PAGE);
        }
        return size;
    }

    private static <T> CursorPage<T> page(List<T> items, int limit,
            java.util.function.Function<T, KeysetCursor> cursorOf) {
        if (items.size() <= limit) {
            return new CursorPage<>(items, null);
        }
        List<T> page = items.subList(0, limit);
        return new CursorPage<>(List.copyOf(page), cursorOf.apply(page.getLast()).encode());
    }
}
