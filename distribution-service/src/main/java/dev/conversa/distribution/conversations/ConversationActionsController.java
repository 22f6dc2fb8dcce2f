package dev.conversa.distribution.conversations;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.distribution.api.Validation;
import dev.conversa.security.ConversaPrincipal;
import reactor.core.publisher.Mono;

/** {@code /api/v1/conversations/{id}/…}: who handles a conversation (see {@link ConversationActions}). */
@RestController
@RequestMapping("/api/v1/conversations/{id}")
class ConversationActionsController {

    private final ConversationActions actions;

    ConversationActionsController(ConversationActions actions) {
        this.actions = actions;
    }

    /** Body of reassign. */
    record Reassign(@Nullable String agentId) {
    }

    @GetMapping("/routing")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'BOT', 'SERVICE')")
    Mono<ConversationView> routing(@PathVariable UUID id, ConversaPrincipal caller) {
        return actions.get(caller, id);
    }

    @PostMapping("/escalate")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'BOT')")
    Mono<ConversationView> escalate(@PathVariable UUID id, ConversaPrincipal caller) {
        return actions.escalate(caller, id);
    }

    @PostMapping("/return-to-bot")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT')")
    Mono<ConversationView> returnToBot(@PathVariable UUID id, ConversaPrincipal caller) {
        return actions.returnToBot(caller, id);
    }

    @PostMapping("/reassign")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<ConversationView> reassign(@PathVariable UUID id, @RequestBody Reassign body, ConversaPrincipal caller) {
        return Mono.fromRunnable(() -> new Validation()
                        .require(body.agentId() != null && !body.agentId().isBlank() && body.agentId().length() <= 200,
                                "agentId", "must be a user id of 1 to 200 characters")
                        .check())
                .then(Mono.defer(() -> actions.reassign(caller, id, body.agentId().strip())));
    }

    @PostMapping("/unassign")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<ConversationView> unassign(@PathVariable UUID id, ConversaPrincipal caller) {
        return actions.unassign(caller, id);
    }
}
