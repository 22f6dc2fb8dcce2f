package dev.conversa.message.sending;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.message.conversations.MessageView;
import dev.conversa.security.ConversaPrincipal;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/conversations/{id}/messages}: send a message to the conversation's contact. Answers 202 with
 * the {@code pending} message; its status moves forward as WhatsApp reports it. Honours {@code Idempotency-Key}:
 * the same key and body answer the same message ({@code Idempotent-Replayed: true}); the same key with another body
 * answers 422.
 */
@RestController
class SendMessageController {

    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";

    private final SendService service;

    SendMessageController(SendService service) {
        this.service = service;
    }

    @PostMapping("/api/v1/conversations/{id}/messages")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'BOT')")
    Mono<ResponseEntity<MessageView>> send(@PathVariable UUID id, @RequestBody SendMessageRequest request,
            @RequestHeader(name = IDEMPOTENCY_KEY, required = false) @Nullable String idempotencyKey,
            ConversaPrincipal caller) {
        return service.send(caller, id, request, idempotencyKey).map(sent -> {
            ResponseEntity.BodyBuilder response = ResponseEntity.status(HttpStatus.ACCEPTED);
            if (sent.replayed()) {
                response.header(IDEMPOTENT_REPLAYED, "true");
            }
            return response.body(sent.message());
        });
    }
}
