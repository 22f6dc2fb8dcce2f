package dev.conversa.notification.webhooks;

import java.net.URI;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.paging.CursorPage;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/webhooks}: the caller's tenant's outbound webhook subscriptions (admins only), their delivery
 * history and manual replay. Another tenant's subscription answers 404.
 */
@RestController
@RequestMapping(WebhooksController.BASE)
@PreAuthorize("hasRole('ADMIN')")
class WebhooksController {

    static final String BASE = "/api/v1/webhooks";

    private final WebhookService service;

    WebhooksController(WebhookService service) {
        this.service = service;
    }

    @PostMapping
    Mono<ResponseEntity<WebhookResponse>> create(@Validated @RequestBody WebhookRequest request,
            ConversaPrincipal caller) {
        return service.create(caller.tenantId(), request)
                .map(saved -> ResponseEntity.created(URI.create(BASE + "/" + saved.subscription().id()))
                        .body(WebhookResponse.of(saved.subscription(), saved.secret())));
    }

    @GetMapping
    Mono<CursorPage<WebhookResponse>> list(@RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "20") int size, ConversaPrincipal caller) {
        return service.list(caller.tenantId(), cursor, size)
                .map(page -> new CursorPage<>(page.items().stream()
                        .map(subscription -> WebhookResponse.of(subscription, null)).toList(), page.nextCursor()));
    }

    @GetMapping("/{id}")
    Mono<WebhookResponse> get(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.get(caller.tenantId(), id).map(subscription -> WebhookResponse.of(subscription, null));
    }

    @PutMapping("/{id}")
    Mono<WebhookResponse> update(@PathVariable UUID id, @Validated @RequestBody WebhookRequest request,
            ConversaPrincipal caller) {
        return service.update(caller.tenantId(), id, request)
                .map(saved -> WebhookResponse.of(saved.subscription(), saved.secret()));
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    Mono<Void> delete(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.delete(caller.tenantId(), id);
    }

    @GetMapping("/{id}/deliveries")
    Mono<CursorPage<DeliveryView>> deliveries(@PathVariable UUID id,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String cursor, @RequestParam(defaultValue = "20") int size,
            ConversaPrincipal caller) {
        return service.deliveries(caller.tenantId(), id, status, cursor, size);
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    Mono<DeliveryView> replay(@PathVariable UUID id, @PathVariable UUID deliveryId, ConversaPrincipal caller) {
        return service.replay(caller.tenantId(), id, deliveryId);
    }
}
