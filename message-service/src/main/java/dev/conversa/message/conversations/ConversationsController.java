package dev.conversa.message.conversations;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.paging.CursorPage;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/conversations}: the inbox of the caller's tenant. Admins and supervisors see every conversation,
 * agents the ones assigned to them, the bot the ones it answers; any other conversation answers 404. A conversation's
 * {@code ETag} is its version; {@code PATCH} needs it in {@code If-Match} (412 when stale, 428 when missing).
 */
@RestController
@RequestMapping(ConversationsController.BASE)
class ConversationsController {

    static final String BASE = "/api/v1/conversations";
    private static final int MAX_TEXT = 200;

    private final ConversationService service;

    ConversationsController(ConversationService service) {
        this.service = service;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'BOT', 'SERVICE')")
    Mono<CursorPage<ConversationResponse>> list(@RequestParam(name = "status", required = false) List<String> status,
            @RequestParam(required = false) @Nullable String assignee,
            @RequestParam(required = false) @Nullable UUID session,
            @RequestParam(required = false) @Nullable Boolean unread,
            @RequestParam(required = false) @Nullable String text,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "20") int size, ConversaPrincipal caller) {
        return Mono.fromCallable(() -> filter(status, assignee, session, unread, text, caller))
                .flatMap(filter -> service.list(caller, filter, cursor, size))
                .map(page -> new CursorPage<>(page.items().stream().map(ConversationResponse::of).toList(),
                        page.nextCursor()));
    }

    @GetMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'BOT', 'SERVICE')")
    Mono<ResponseEntity<ConversationResponse>> get(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.get(caller, id).map(ConversationsController::withETag);
    }

    @PatchMapping("/{id}")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT')")
    Mono<ResponseEntity<ConversationResponse>> patch(@PathVariable UUID id,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody ConversationPatch patch, ConversaPrincipal caller) {
        return service.patch(caller, id, ifMatch, patch).map(ConversationsController::withETag);
    }

    @GetMapping("/{id}/messages")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'BOT', 'SERVICE')")
    Mono<CursorPage<MessageView>> messages(@PathVariable UUID id,
            @RequestParam(required = false) @Nullable String cursor, @RequestParam(defaultValue = "50") int size,
            ConversaPrincipal caller) {
        return service.messages(caller, id, cursor, size);
    }

    @PostMapping("/{id}/read")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'BOT')")
    Mono<ResponseEntity<ConversationResponse>> read(@PathVariable UUID id, ConversaPrincipal caller) {
        return service.markRead(caller, id).map(ConversationsController::withETag);
    }

    private static ResponseEntity<ConversationResponse> withETag(Conversation conversation) {
        return ResponseEntity.ok()
                .header(HttpHeaders.ETAG, "\"" + conversation.version() + "\"")
                .body(ConversationResponse.of(conversation));
    }

    /**
     * {@code ?status=open&status=pending} or {@code ?status=open,pending}; {@code assignee=me} is the caller,
     * {@code assignee=none} nobody.
     */
    private static ConversationFilter filter(@Nullable List<String> statusValues, @Nullable String assignee,
            @Nullable UUID session, @Nullable Boolean unread, @Nullable String text, ConversaPrincipal caller) {
        Set<ConversationStatus> statuses = EnumSet.noneOf(ConversationStatus.class);
        if (statusValues != null) {
            for (String value : statusValues) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        statuses.add(ConversationService.status(part));
                    }
                }
            }
        }
        String agent = assignee == null || assignee.isBlank() ? null : assignee.strip();
        boolean unassigned = "none".equals(agent);
        if ("me".equals(agent)) {
            agent = caller.userId();
        }
        String fragment = text == null || text.isBlank() ? null : text.strip();
        if (fragment != null && fragment.length() > MAX_TEXT) {
            throw ApiException.badRequest("text must be at most " + MAX_TEXT + " characters");
        }
        return new ConversationFilter(statuses, unassigned ? null : agent, unassigned, session, unread, fragment);
    }
}
