package dev.conversa.session.sessions;

import java.net.URI;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.events.session.SessionStatus;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /api/v1/sessions}: the WhatsApp sessions of the caller's tenant. Reads need {@code admin} or
 * {@code supervisor}, changes need {@code admin}; a session of another tenant answers 404. Commands for a live
 * session (logout, restart, pairing code) are forwarded to its owner and answered 202.
 */
@RestController
@RequestMapping(SessionsController.BASE)
class SessionsController {

    static final String BASE = "/api/v1/sessions";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    private static final TypeReference<Map<String, Object>> JSON_OBJECT = new TypeReference<>() {
    };

    private final SessionService service;
    private final JsonMapper json = JsonMapper.builder().build();

    SessionsController(SessionService service) {
        this.service = service;
    }

    @PostMapping
    @PreAuthorize("hasRole('ADMIN')")
    Mono<ResponseEntity<SessionResponse>> create(@Valid @RequestBody CreateSessionRequest request,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            ConversaPrincipal caller) {
        return service.create(caller, request, idempotencyKey).map(created -> {
            ResponseEntity.BodyBuilder response = ResponseEntity
                    .created(URI.create(BASE + "/" + created.session().id()));
            if (created.replayed()) {
                response.header(IDEMPOTENT_REPLAYED, "true");
            }
            return response.body(response(created.session()));
        });
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<PageResponse<SessionResponse>> list(@RequestParam(name = "status", required = false) List<String> status,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size,
            ConversaPrincipal caller) {
        return Mono.fromCallable(() -> statuses(status))
                .flatMap(statuses -> service.list(caller, statuses, page, size))
                .map(this::responses);
    }

    @GetMapping("/stats")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<SessionStats> stats(ConversaPrincipal caller) {
        return service.stats(caller);
    }

    @GetMapping("/problematic")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<PageResponse<SessionResponse>> problematic(@RequestParam(defaultValue = "3") int minAttempts,
            @RequestParam(defaultValue = "0") int page, @RequestParam(defaultValue = "20") int size,
            ConversaPrincipal caller) {
        return service.problematic(caller, minAttempts, page, size).map(this::responses);
    }

    @PostMapping("/cleanup-inactive")
    @PreAuthorize("hasRole('ADMIN')")
    Mono<CleanupResult> cleanupInactive(@RequestParam(defaultValue = "30") int days, ConversaPrincipal caller) {
        return service.cleanupInactive(caller, days).map(marked -> new CleanupResult(days, marked));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<SessionResponse> get(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.get(caller, id).map(this::response);
    }

    @DeleteMapping("/{id}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @PreAuthorize("hasRole('ADMIN')")
    Mono<Void> delete(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.delete(caller, id);
    }

    @PostMapping("/{id}/pairing-code")
    @PreAuthorize("hasRole('ADMIN')")
    Mono<ResponseEntity<PairingCodeResponse>> pairingCode(@PathVariable UUID id,
            @Valid @RequestBody PairingCodeRequest request, ConversaPrincipal caller) {
        return service.requestPairingCode(caller, id, request.phoneNumber())
                .map(answer -> ResponseEntity.status(answer.code() == null ? HttpStatus.ACCEPTED : HttpStatus.OK)
                        .body(answer));
    }

    @PostMapping("/{id}/logout")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasRole('ADMIN')")
    Mono<CommandAccepted> logout(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.requestLogout(caller, id);
    }

    @PostMapping("/{id}/restart")
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasRole('ADMIN')")
    Mono<CommandAccepted> restart(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.requestRestart(caller, id);
    }

    @PostMapping("/{id}/reset-attempts")
    @PreAuthorize("hasRole('ADMIN')")
    Mono<SessionResponse> resetAttempts(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.resetAttempts(caller, id).map(this::response);
    }

    /** {@code ?status=connected&status=failed} or {@code ?status=connected,failed}; none means every status. */
    private static Set<SessionStatus> statuses(@Nullable List<String> values) {
        Set<SessionStatus> statuses = EnumSet.noneOf(SessionStatus.class);
        if (values != null) {
            for (String value : values) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        try {
                            statuses.add(SessionStatus.fromValue(part.strip()));
                        }
                        catch (IllegalArgumentException e) {
                            throw ApiException.badRequest("unknown status '" + part.strip() + "'; one of "
                                    + java.util.Arrays.stream(SessionStatus.values()).map(SessionStatus::value)
                                            .toList());
                        }
                    }
                }
            }
        }
        return statuses;
    }

    private PageResponse<SessionResponse> responses(PageResponse<Session> page) {
        return new PageResponse<>(page.items().stream().map(this::response).toList(), page.page(), page.size(),
                page.total());
    }

    private SessionResponse response(Session session) {
        return new SessionResponse(session.id(), session.name(), session.transport(), session.status(),
                session.phoneNumber(),
                session.cloudPhoneNumberId() == null ? null
                        : new SessionResponse.CloudApiNumber(session.cloudPhoneNumberId()),
                session.connectionAttempts(),
                session.lastDisconnectAt() == null ? null
                        : new SessionResponse.LastDisconnect(session.lastDisconnectReasonCode(),
                                session.lastDisconnectReason(), session.lastDisconnectAt()),
                session.messagesSent(), session.messagesReceived(), session.chats(), session.lastActivityAt(),
                session.lastConnectedAt(), session.lastHealthCheckAt(), device(session.deviceMetadata()),
                session.createdAt(), session.updatedAt());
    }

    private @Nullable Map<String, Object> device(@Nullable String metadata) {
        if (metadata == null) {
            return null;
        }
        try {
            return json.readValue(metadata, JSON_OBJECT);
        }
        catch (JacksonException e) {
            return null;
        }
    }
}
