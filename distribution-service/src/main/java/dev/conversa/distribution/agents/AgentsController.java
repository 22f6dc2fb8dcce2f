package dev.conversa.distribution.agents;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.distribution.api.CursorPage;
import dev.conversa.security.ConversaPrincipal;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/agents}: agents set their own status; admins and supervisors list agents with their load and change
 * capacity, skills, team and display name ({@code If-Match} optional, 412 when stale).
 */
@RestController
@RequestMapping("/api/v1/agents")
class AgentsController {

    private final AgentService service;

    AgentsController(AgentService service) {
        this.service = service;
    }

    @GetMapping
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT')")
    Mono<CursorPage<Agent>> list(@RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String cursor, @RequestParam(defaultValue = "50") int size,
            ConversaPrincipal caller) {
        return service.list(caller, status, cursor, size);
    }

    @GetMapping("/me")
    @PreAuthorize("hasRole('AGENT')")
    Mono<ResponseEntity<Agent>> me(ConversaPrincipal caller) {
        return service.get(caller, caller.userId()).map(AgentsController::withETag);
    }

    @GetMapping("/{userId}")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT')")
    Mono<ResponseEntity<Agent>> get(@PathVariable String userId, ConversaPrincipal caller) {
        return service.get(caller, userId).map(AgentsController::withETag);
    }

    @PutMapping("/me/status")
    @PreAuthorize("hasRole('AGENT')")
    Mono<ResponseEntity<Agent>> status(@RequestBody AgentRequests.StatusChange body, ConversaPrincipal caller) {
        return Mono.fromRunnable(body::validate)
                .then(service.changeStatus(caller, body.status()))
                .map(AgentsController::withETag);
    }

    @PatchMapping("/{userId}")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<ResponseEntity<Agent>> patch(@PathVariable String userId,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) @Nullable String ifMatch,
            @RequestBody AgentRequests.Patch body, ConversaPrincipal caller) {
        return service.patch(caller, userId, ifMatch, body).map(AgentsController::withETag);
    }

    private static ResponseEntity<Agent> withETag(Agent agent) {
        return ResponseEntity.ok().header(HttpHeaders.ETAG, "\"" + agent.version() + "\"").body(agent);
    }
}
