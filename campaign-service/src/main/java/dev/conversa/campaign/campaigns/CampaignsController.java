package dev.conversa.campaign.campaigns;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.events.campaign.CampaignProgress;
import dev.conversa.events.campaign.CampaignStatus;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.paging.CursorPage;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/campaigns}: the caller's tenant's campaigns. Reading needs any staff role; creating, changing and
 * controlling needs supervisor or admin. Another tenant's campaign answers 404. A campaign's {@code ETag} is its
 * version; {@code PATCH} (drafts only) needs it in {@code If-Match}. {@code POST} honours {@code Idempotency-Key}.
 */
@RestController
@RequestMapping(CampaignsController.BASE)
class CampaignsController {

    static final String BASE = "/api/v1/campaigns";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    private static final String READERS = "hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'SERVICE')";
    private static final String MANAGERS = "hasAnyRole('ADMIN', 'SUPERVISOR')";

    private final CampaignService service;

    CampaignsController(CampaignService service) {
        this.service = service;
    }

    @PostMapping
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<CampaignResponse>> create(@RequestBody CampaignRequest request,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            ConversaPrincipal caller) {
        return service.create(caller, request, idempotencyKey).map(created -> {
            ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.CREATED)
                    .location(URI.create(BASE + "/" + created.campaign().id()))
                    .eTag("\"" + created.campaign().version() + "\"");
            if (created.replayed()) {
                response.header(IDEMPOTENT_REPLAYED, "true");
            }
            return response.body(CampaignResponse.of(created.campaign()));
        });
    }

    @GetMapping
    @PreAuthorize(READERS)
    Mono<CursorPage<CampaignResponse>> list(@RequestParam(name = "status", required = false) List<String> status,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer size, ConversaPrincipal caller) {
        return Mono.fromCallable(() -> statuses(status))
                .flatMap(statuses -> service.list(caller, statuses, cursor, size))
                .map(page -> new CursorPage<>(page.items().stream().map(CampaignResponse::of).toList(),
                        page.nextCursor()));
    }

    @GetMapping("/{id}")
    @PreAuthorize(READERS)
    Mono<ResponseEntity<CampaignResponse>> get(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.get(caller, id).map(CampaignsController::withETag);
    }

    @GetMapping("/{id}/progress")
    @PreAuthorize(READERS)
    Mono<CampaignProgress> progress(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.get(caller, id).map(campaign -> campaign.progress(campaign.updatedAt()));
    }

    @PatchMapping("/{id}")
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<CampaignResponse>> patch(@PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody CampaignRequest patch, ConversaPrincipal caller) {
        return service.patch(caller, id, ifMatch, patch).map(CampaignsController::withETag);
    }

    @DeleteMapping("/{id}")
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<Void>> delete(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.delete(caller, id).thenReturn(ResponseEntity.noContent().build());
    }

    @PostMapping("/{id}/start")
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<CampaignResponse>> start(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.start(caller, id).map(CampaignsController::withETag);
    }

    @PostMapping("/{id}/pause")
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<CampaignResponse>> pause(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.pause(caller, id).map(CampaignsController::withETag);
    }

    @PostMapping("/{id}/resume")
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<CampaignResponse>> resume(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.resume(caller, id).map(CampaignsController::withETag);
    }

    @PostMapping("/{id}/cancel")
    @PreAuthorize(MANAGERS)
    Mono<ResponseEntity<CampaignResponse>> cancel(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.cancel(caller, id).map(CampaignsController::withETag);
    }

    private static ResponseEntity<CampaignResponse> withETag(Campaign campaign) {
        return ResponseEntity.ok().eTag("\"" + campaign.version() + "\"").body(CampaignResponse.of(campaign));
    }

    /** {@code ?status=running&status=paused} or {@code ?status=running,paused}. */
    private static Set<CampaignStatus> statuses(@Nullable List<String> values) {
        Set<CampaignStatus> statuses = EnumSet.noneOf(CampaignStatus.class);
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        try {
                            statuses.add(CampaignStatus.fromValue(part.strip()));
                        }
                        catch (IllegalArgumentException e) {
                            throw ApiException.badRequest("status must be one of draft, scheduled, running, paused, "
                                    + "finished, cancelled");
                        }
                    }
                }
            }
        }
        return statuses;
    }
}
