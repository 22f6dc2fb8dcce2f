package dev.conversa.campaign.campaigns;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.EventTypes;
import dev.conversa.events.campaign.CampaignStatus;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.id.Uuids;
import dev.conversa.web.paging.CursorPage;
import dev.conversa.web.paging.KeysetCursor;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * Campaign definitions and their lifecycle:
 *
 * <pre>
 *   draft ──start──▶ scheduled ──(startsAt reached)──▶ running ──(nothing left)──▶ finished
 *     │                 │  ▲                             │  ▲
 *     │               pause resume                     pause resume
 *     │                 ▼  │                             ▼  │
 *     │                paused ◀──────────────────────────┘  │
 *     └──cancel──▶ cancelled ◀──cancel── scheduled | running | paused
 * </pre>
 *
 * Every transition locks the campaign row, bumps its version and, after commit, announces itself on
 * {@code crm.campaign.events}. Start materialises the recipients once, in the transaction of the transition.
 */
@Service
class CampaignService {

    private static final String CAMPAIGNS_CURSOR = "k1";

    private static final Logger log = LoggerFactory.getLogger(CampaignService.class);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7E]{1,255}$");

    private final CampaignRepository campaigns;
    private final CampaignEvents events;
    private final CampaignProperties properties;
    private final TransactionalOperator transaction;
    private final JsonMapper json;
    private final Clock clock;
    private final CampaignMedia media;

    CampaignService(CampaignRepository campaigns, CampaignMedia media, CampaignEvents events,
            CampaignProperties properties, TransactionalOperator transaction, JsonMapper json, Clock clock) {
        this.campaigns = campaigns;
        this.media = media;
        this.events = events;
        this.properties = properties;
        this.transaction = transaction;
        this.json = json;
        this.clock = clock;
    }

    /** A created campaign, and whether an earlier request with the same Idempotency-Key created it. */
    record Created(Campaign campaign, boolean replayed) {
    }

    Mono<Created> create(ConversaPrincipal caller, CampaignRequest request, @Nullable String idempotencyKey) {
        return Mono.defer(() -> {
            if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
                throw ApiException.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters");
            }
            CampaignDefinition definition = CampaignDefinition.of(request);
            String hash = hash(definition);
            UUID id = Uuids.v7();
            return media.requireStored(caller.tenantId(), definition)
                    .then(campaigns.insert(id, caller.tenantId(), definition, caller.userId(), idempotencyKey, hash,
                            clock.instant()))
                    .flatMap(inserted -> campaigns.find(caller.tenantId(), inserted))
                    .map(campaign -> new Created(campaign, false))
                    .switchIfEmpty(Mono.defer(() -> replay(caller, idempotencyKey, hash)));
        });
    }

    private Mono<Created> replay(ConversaPrincipal caller, @Nullable String key, String hash) {
        if (key == null) {
            return Mono.error(new IllegalStateException("campaign insert without key answered no row"));
        }
        return campaigns.findByIdempotencyKey(caller.tenantId(), key)
                .switchIfEmpty(Mono.error(() -> ApiException.conflict(
                        "A request with this Idempotency-Key is being processed; retry")))
                .flatMap(keyed -> {
                    if (!hash.equals(keyed.requestHash())) {
                        return Mono.error(new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
                                ProblemTypes.of("idempotency-key-reused"), "Idempotency key reused",
                                "This Idempotency-Key was used for a different request"));
                    }
                    return campaigns.find(caller.tenantId(), keyed.id()).map(found -> new Created(found, true));
                });
    }

    Mono<CursorPage<Campaign>> list(ConversaPrincipal caller, Set<CampaignStatus> statuses, @Nullable String cursor,
            @Nullable Integer size) {
        return Mono.defer(() -> {
            int pageSize = size == null ? properties.defaultPageSize() : size;
            if (pageSize < 1 || pageSize > properties.maxPageSize()) {
                throw ApiException.badRequest("size must be between 1 and " + properties.maxPageSize());
            }
            KeysetCursor after = KeysetCursor.decode(CAMPAIGNS_CURSOR, cursor);
            return campaigns.list(caller.tenantId(), statuses, after, pageSize + 1).collectList()
                    .map(rows -> {
                        if (rows.size() <= pageSize) {
                            return new CursorPage<>(List.copyOf(rows), null);
                        }
                        List<Campaign> items = List.copyOf(rows.subList(0, pageSize));
                        Campaign last = items.getLast();
                        return new CursorPage<>(items,
                                new KeysetCursor(CAMPAIGNS_CURSOR, last.createdAt(), last.id()).encode());
                    });
        });
    }

    Mono<Campaign> get(ConversaPrincipal caller, UUID id) {
        return campaigns.find(caller.tenantId(), id).switchIfEmpty(Mono.error(() -> notFound(id)));
    }

    /** Changes a draft if it still has the version of {@code ifMatch}: 428 without it, 412 when stale. */
    Mono<Campaign> patch(ConversaPrincipal caller, UUID id, @Nullable String ifMatch, CampaignRequest patch) {
        return Mono.defer(() -> {
            List<Long> expected = Preconditions.versions(ifMatch);
            return campaigns.lock(caller.tenantId(), id)
                    .switchIfEmpty(Mono.error(() -> notFound(id)))
                    .flatMap(current -> {
                        if (expected != null && !expected.contains(current.version())) {
                            return Mono.error(Preconditions.failed(current.version()));
                        }
                        if (current.status() != CampaignStatus.DRAFT) {
                            return Mono.error(illegal(current, "change"));
                        }
                        CampaignDefinition changed = CampaignDefinition.of(patch.over(
                                current.definition().toRequest()));
                        return media.requireStored(caller.tenantId(), changed)
                                .then(campaigns.updateDefinition(caller.tenantId(), id, changed, clock.instant()));
                    })
                    .as(transaction::transactional);
        });
    }

    Mono<Void> delete(ConversaPrincipal caller, UUID id) {
        return campaigns.lock(caller.tenantId(), id)
                .switchIfEmpty(Mono.error(() -> notFound(id)))
                .flatMap(current -> current.status() != CampaignStatus.DRAFT ? Mono.error(illegal(current, "delete"))
                        : campaigns.deleteDraft(caller.tenantId(), id))
                .as(transaction::transactional)
                .then();
    }

    Mono<Campaign> start(ConversaPrincipal caller, UUID id) {
        return control(caller, id, "start", EventTypes.CAMPAIGN_STARTED, Set.of(CampaignStatus.DRAFT),
                (current, now) -> {
                    Instant startsAt = current.definition().startsAt();
                    CampaignStatus to = startsAt != null && startsAt.isAfter(now) ? CampaignStatus.SCHEDULED
                            : CampaignStatus.RUNNING;
                    return campaigns.transition(id, to, now)
                            .flatMap(moved -> campaigns.materialise(moved, now)
                                    .doOnNext(count -> log.info("Campaign {} of tenant {} started ({}): {} recipients",
                                            id, caller.tenantId(), to.value(), count)))
                            .then(campaigns.find(caller.tenantId(), id));
                });
    }

    Mono<Campaign> pause(ConversaPrincipal caller, UUID id) {
        return control(caller, id, "pause", EventTypes.CAMPAIGN_PAUSED,
                Set.of(CampaignStatus.RUNNING, CampaignStatus.SCHEDULED),
                (current, now) -> campaigns.transition(id, CampaignStatus.PAUSED, now));
    }

    Mono<Campaign> resume(ConversaPrincipal caller, UUID id) {
        return control(caller, id, "resume", EventTypes.CAMPAIGN_RESUMED, Set.of(CampaignStatus.PAUSED),
                (current, now) -> {
                    Instant startsAt = current.definition().startsAt();
                    return campaigns.transition(id, startsAt != null && startsAt.isAfter(now)
                            ? CampaignStatus.SCHEDULED : CampaignStatus.RUNNING, now);
                });
    }

    Mono<Campaign> cancel(ConversaPrincipal caller, UUID id) {
        return control(caller, id, "cancel", EventTypes.CAMPAIGN_CANCELLED, Set.of(CampaignStatus.DRAFT,
                CampaignStatus.SCHEDULED, CampaignStatus.RUNNING, CampaignStatus.PAUSED),
                (current, now) -> campaigns.transition(id, CampaignStatus.CANCELLED, now));
    }

    private interface Step {
        Mono<Campaign> apply(Campaign current, Instant now);
    }

    /** Locks, checks the transition, applies it, commits, then announces it. */
    private Mono<Campaign> control(ConversaPrincipal caller, UUID id, String action, String eventType,
            Set<CampaignStatus> from, Step step) {
        return Mono.defer(() -> {
            Instant now = clock.instant();
            return campaigns.lock(caller.tenantId(), id)
                    .switchIfEmpty(Mono.error(() -> notFound(id)))
                    .flatMap(current -> from.contains(current.status()) ? step.apply(current, now)
                            : Mono.error(illegal(current, action)))
                    .as(transaction::transactional)
                    .flatMap(moved -> events.announce(List.of(new CampaignEvents.Announcement(eventType,
                                    moved.progress(now), Long.toString(moved.version()))))
                            .onErrorResume(error -> {
                                // the transition is durable; the next progress event carries the new status
                                log.warn("Could not announce {} of campaign {}: {}", eventType, id, error.toString());
                                return Mono.empty();
                            })
                            .thenReturn(moved));
        });
    }

    private static ApiException notFound(UUID id) {
        return ApiException.notFound("campaign", id);
    }

    private static ApiException illegal(Campaign campaign, String action) {
        return new ApiException(HttpStatus.CONFLICT, ProblemTypes.of("illegal-campaign-transition"),
                "Illegal campaign transition", "cannot " + action + " a campaign that is "
                        + campaign.status().value())
                .with("status", campaign.status().value());
    }

    private String hash(CampaignDefinition definition) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(json.writeValueAsString(
                    definition.toRequest()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** If-Match: strong entity tags of versions ({@code "3"}), or {@code *}. */
    static final class Preconditions {

        private Preconditions() {
        }

        /** The versions an If-Match names; null for {@code *}; 428 when absent. */
        static @Nullable List<Long> versions(@Nullable String header) {
            if (header == null || header.isBlank()) {
                throw new ApiException(HttpStatus.PRECONDITION_REQUIRED, ProblemTypes.of("precondition-required"),
                        "Precondition required", "send If-Match with the campaign's ETag (its version) to change it");
            }
            if (header.strip().equals("*")) {
                return null;
            }
            List<Long> versions = new java.util.ArrayList<>();
            for (String tag : header.split(",")) {
                String value = tag.strip();
                if (value.startsWith("W/")) {
                    continue;
                }
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                try {
                    versions.add(Long.parseLong(value));
                }
                catch (NumberFormatException e) {
                    // an entity tag never issued matches nothing
                }
            }
            return versions;
        }

        static ApiException failed(long currentVersion) {
            return new ApiException(HttpStatus.PRECONDITION_FAILED, ProblemTypes.of("precondition-failed"),
                    "Precondition failed", "the campaign changed; it is now at version " + currentVersion
                            + ". Read it again and retry")
                    .with("currentVersion", currentVersion);
        }
    }
}
