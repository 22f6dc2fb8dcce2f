package dev.conversa.session.sessions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.session.authstate.AuthStateStore;
import dev.conversa.session.qr.PairingCodes;
import dev.conversa.session.qr.QrCodes;
import dev.conversa.web.id.Uuids;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Mono;

/**
 * What the sessions API does, always within the caller's tenant: a session of another tenant is "not found".
 * Status changes go through {@link SessionLifecycle}; commands for a live session go to its owner through
 * {@link SessionCommands}.
 */
@Service
class SessionService {

    static final int MAX_PAGE_SIZE = 100;
    private static final Logger log = LoggerFactory.getLogger(SessionService.class);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7E]{1,255}$");
    private static final String NAME_CONSTRAINT = "sessions_tenant_name_uq";
    private static final String PHONE_NUMBER_ID_CONSTRAINT = "sessions_cloud_phone_number_id_uq";
    /** How far the owner's clock may be behind ours when it stamps a pairing code. */
    private static final Duration CLOCK_SKEW = Duration.ofSeconds(2);

    private final SessionRepository sessions;
    private final IdempotencyKeys idempotencyKeys;
    private final SessionLifecycle lifecycle;
    private final SessionEvents events;
    private final SessionCommands commands;
    private final CloudApiCredentialsStore credentials;
    private final AuthStateStore authState;
    private final TransactionalOperator transaction;
    private final IdempotencyProperties idempotency;
    private final QrCodes qrCodes;
    private final PairingCodes pairingCodes;
    private final Duration pairingCodeWait;

    SessionService(SessionRepository sessions, IdempotencyKeys idempotencyKeys, SessionLifecycle lifecycle,
            SessionEvents events, SessionCommands commands, CloudApiCredentialsStore credentials,
            AuthStateStore authState, TransactionalOperator transaction, IdempotencyProperties idempotency,
            QrCodes qrCodes, PairingCodes pairingCodes,
            @Value("${conversa.session.pairing-code-wait:10s}") Duration pairingCodeWait) {
        this.sessions = sessions;
        this.idempotencyKeys = idempotencyKeys;
        this.lifecycle = lifecycle;
        this.events = events;
        this.commands = commands;
        this.credentials = credentials;
        this.authState = authState;
        this.transaction = transaction;
        this.idempotency = idempotency;
        this.qrCodes = qrCodes;
        this.pairingCodes = pairingCodes;
        this.pairingCodeWait = pairingCodeWait;
    }

    /** A created session, and whether it was created by an earlier request with the same idempotency key. */
    record Created(Session session, boolean replayed) {
    }

    /**
     * Creates a {@code pending} session, stores a Cloud API session's credentials encrypted, and emits
     * {@code conversa.session.created.v1}. With an idempotency key, a repeat of the same request answers the session
     * the first one created (and re-publishes its created event under the same id, so an event lost to a crash
     * between commit and publish is sent by the retry; consumers drop the duplicate).
     */
    Mono<Created> create(ConversaPrincipal caller, CreateSessionRequest request, @Nullable String idempotencyKey) {
        return Mono.defer(() -> {
            SessionTransport transport = transport(request);
            String name = request.name().strip();
            CloudApiSettings cloudApi = request.cloudApi();
            if (transport == SessionTransport.CLOUD_API && cloudApi == null) {
                throw ApiException.badRequest("a cloud-api session needs the cloudApi block "
                        + "(phoneNumberId, accessToken, appSecret, verifyToken)");
            }
            if (transport == SessionTransport.LINKED && cloudApi != null) {
                throw ApiException.badRequest("cloudApi is only for cloud-api sessions");
            }
            if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
                throw ApiException.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters");
            }
            UUID id = Uuids.v7();
            String tenantId = caller.tenantId();
            Mono<Created> insert = sessions.insert(id, tenantId, name, transport,
                            cloudApi == null ? null : cloudApi.phoneNumberId())
                    .flatMap(session -> cloudApi == null ? Mono.just(session)
                            : credentials.save(id, tenantId, cloudApi.credentials()).thenReturn(session))
                    .map(session -> new Created(session, false));
            Mono<Created> work = idempotencyKey == null ? insert
                    : idempotencyKeys.claim(tenantId, idempotencyKey, fingerprint(name, transport, cloudApi), id,
                                    Instant.now().minus(idempotency.keyTtl()))
                            .flatMap(claimed -> claimed ? insert
                                    : replay(tenantId, idempotencyKey, fingerprint(name, transport, cloudApi)));
            return work.as(transaction::transactional)
                    .onErrorMap(DataIntegrityViolationException.class, SessionService::conflict);
        })
                .flatMap(created -> events.created(created.session()).thenReturn(created))
                // the owner opens the connection: a QR for a linked session, the Cloud API number for the other
                .flatMap(created -> created.replayed() ? Mono.just(created)
                        : commands.restart(created.session(), requestedBy(caller)).thenReturn(created))
                .doOnNext(created -> log.info("{} {} session {} '{}' for tenant {}",
                        created.replayed() ? "Replayed" : "Created", created.session().transport().value(),
                        created.session().id(), created.session().name(), caller.tenantId()));
    }

    private Mono<Created> replay(String tenantId, String key, String fingerprint) {
        return idempotencyKeys.find(tenantId, key)
                .switchIfEmpty(Mono.error(() -> ApiException.conflict(
                        "A request with this Idempotency-Key is being processed; retry")))
                .flatMap(stored -> {
                    if (!stored.fingerprint().equals(fingerprint)) {
                        return Mono.error(new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
                                ProblemTypes.of("idempotency-key-reused"), "Idempotency key reused",
                                "This Idempotency-Key was used for a different request"));
                    }
                    return sessions.findById(stored.sessionId(), tenantId)
                            .map(session -> new Created(session, true))
                            .switchIfEmpty(Mono.error(() -> ApiException.conflict(
                                    "The session this Idempotency-Key created is being deleted; retry")));
                });
    }

    Mono<PageResponse<Session>> list(ConversaPrincipal caller, Set<SessionStatus> statuses, int page, int size) {
        return Mono.defer(() -> {
            checkPage(page, size);
            long offset = (long) page * size;
            return Mono.zip(sessions.list(caller.tenantId(), statuses, offset, size).collectList(),
                            sessions.count(caller.tenantId(), statuses))
                    .map(result -> new PageResponse<>(result.getT1(), page, size, result.getT2()));
        });
    }

    Mono<Session> get(ConversaPrincipal caller, UUID id) {
        return sessions.findById(id, caller.tenantId())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("session", id)));
    }

    /**
     * Asks the owner to log the device out, wipes the auth state, deletes the row (its idempotency keys go with it)
     * and emits {@code conversa.session.deleted.v1}. The logout command goes first: if it cannot be published,
     * nothing is deleted and the caller may retry.
     */
    Mono<Void> delete(ConversaPrincipal caller, UUID id) {
        String requestedBy = requestedBy(caller);
        return get(caller, id)
                .flatMap(session -> commands.logout(session, requestedBy)
                        .then(authState.wipe(id).then(sessions.delete(id, caller.tenantId()))
                                .as(transaction::transactional))
                        .flatMap(deleted -> deleted
                                ? qrCodes.clear(id)
                                        .then(events.deleted(session, "deleted by " + requestedBy, Instant.now()))
                                : Mono.error(ApiException.notFound("session", id))));
    }

    /**
     * Asks the owner for a pairing code and waits up to {@code pairingCodeWait} for it, so the caller usually gets
     * the code in the answer; without it the answer says the command was sent.
     */
    Mono<PairingCodeResponse> requestPairingCode(ConversaPrincipal caller, UUID id, String phoneNumber) {
        return Mono.defer(() -> {
            String e164 = PhoneNumbers.e164(phoneNumber).orElseThrow(() -> ApiException.badRequest(
                    "phoneNumber must be an E.164 number with its country code, such as +5215512345678"));
            Instant requestedAt = Instant.now();
            return get(caller, id).flatMap(session -> {
                if (session.transport() != SessionTransport.LINKED) {
                    return Mono.error(ApiException.conflict("pairing codes are only for linked sessions; session "
                            + id + " is " + session.transport().value()));
                }
                if (session.status() == SessionStatus.CONNECTED) {
                    return Mono.error(ApiException.conflict("session " + id + " is already connected"));
                }
                return commands.pairingCode(session, e164, requestedBy(caller))
                        .flatMap(sent -> pairingCodes.awaitIssuedAfter(id, caller.tenantId(), e164,
                                        requestedAt.minus(CLOCK_SKEW), pairingCodeWait)
                                .map(code -> new PairingCodeResponse(id, e164, code.code(), code.expiresAt(),
                                        sent.type(), sent.id()))
                                .defaultIfEmpty(new PairingCodeResponse(id, e164, null, null, sent.type(),
                                        sent.id())));
            });
        });
    }

    Mono<CommandAccepted> requestLogout(ConversaPrincipal caller, UUID id) {
        return get(caller, id).flatMap(session -> commands.logout(session, requestedBy(caller))
                .map(sent -> accepted(session, sent)));
    }

    Mono<CommandAccepted> requestRestart(ConversaPrincipal caller, UUID id) {
        return get(caller, id).flatMap(session -> commands.restart(session, requestedBy(caller))
                .map(sent -> accepted(session, sent)));
    }

    Mono<Session> resetAttempts(ConversaPrincipal caller, UUID id) {
        return sessions.resetAttempts(id, caller.tenantId())
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("session", id)));
    }

    Mono<SessionStats> stats(ConversaPrincipal caller) {
        return sessions.totalsByStatus(caller.tenantId()).collectList().map(rows -> {
            Map<String, Long> byStatus = new LinkedHashMap<>();
            for (SessionStatus status : SessionStatus.values()) {
                byStatus.put(status.value(), 0L);
            }
            long total = 0;
            long sent = 0;
            long received = 0;
            for (SessionRepository.StatusTotals row : rows) {
                byStatus.put(row.status().value(), row.sessions());
                total += row.sessions();
                sent += row.messagesSent();
                received += row.messagesReceived();
            }
            return new SessionStats(byStatus, total, sent, received);
        });
    }

    Mono<PageResponse<Session>> problematic(ConversaPrincipal caller, int minAttempts, int page, int size) {
        return Mono.defer(() -> {
            checkPage(page, size);
            if (minAttempts < 1) {
                throw ApiException.badRequest("minAttempts must be at least 1");
            }
            long offset = (long) page * size;
            return Mono.zip(sessions.problematic(caller.tenantId(), minAttempts, offset, size).collectList(),
                            sessions.countProblematic(caller.tenantId(), minAttempts))
                    .map(result -> new PageResponse<>(result.getT1(), page, size, result.getT2()));
        });
    }

    /** Marks the caller's idle sessions {@code inactive}; see {@link #markIdleInactive}. */
    Mono<Long> cleanupInactive(ConversaPrincipal caller, int days) {
        if (days < 1) {
            return Mono.error(ApiException.badRequest("days must be at least 1"));
        }
        return markIdleInactive(caller.tenantId(), days);
    }

    /**
     * Every session (of {@code tenantId}, or of all tenants when null) that is not connected and showed no life —
     * no message, no connection — for {@code days} days (counting from its creation if it never did) moves to
     * {@code inactive} through the lifecycle, which emits {@code conversa.session.inactive.v1}. A session that
     * connected meanwhile is left alone (the lifecycle refuses connected → inactive). Answers how many moved.
     */
    Mono<Long> markIdleInactive(@Nullable String tenantId, int days) {
        Instant cutoff = Instant.now().minus(Duration.ofDays(days));
        String reason = "no activity for " + days + " days";
        return sessions.idleSince(tenantId, cutoff)
                .flatMap(id -> lifecycle.transition(id, SessionStatus.INACTIVE, null, reason)
                        .thenReturn(1L)
                        .onErrorResume(IllegalSessionTransitionException.class, refused -> Mono.empty())
                        .onErrorResume(SessionNotFoundException.class, gone -> Mono.empty()), 4)
                .count();
    }

    private static CommandAccepted accepted(Session session, EventMetadata sent) {
        return new CommandAccepted(session.id(), sent.type(), sent.id());
    }

    private static String requestedBy(ConversaPrincipal caller) {
        return "user:" + caller.userId();
    }

    private static SessionTransport transport(CreateSessionRequest request) {
        try {
            return SessionTransport.fromValue(request.transport().strip());
        }
        catch (IllegalArgumentException e) {
            throw ApiException.badRequest("transport must be 'linked' or 'cloud-api'");
        }
    }

    private static void checkPage(int page, int size) {
        if (page < 0) {
            throw ApiException.badRequest("page must be 0 or more");
        }
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.badRequest("size must be between 1 and " + MAX_PAGE_SIZE);
        }
    }

    /** The request without its secrets: a key reused with other credentials but the same number still replays. */
    private static String fingerprint(String name, SessionTransport transport, @Nullable CloudApiSettings cloudApi) {
        String canonical = String.join("\u0000", name, transport.value(),
                cloudApi == null ? "" : cloudApi.phoneNumberId());
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static Throwable conflict(DataIntegrityViolationException error) {
        String message = String.valueOf(error.getMessage());
        if (message.contains(NAME_CONSTRAINT)) {
            return ApiException.conflict("a session with this name already exists");
        }
        if (message.contains(PHONE_NUMBER_ID_CONSTRAINT)) {
            return ApiException.conflict("this Cloud API phone-number id is already used by a session");
        }
        return error;
    }
}
