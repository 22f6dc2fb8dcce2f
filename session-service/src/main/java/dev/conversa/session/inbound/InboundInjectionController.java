package dev.conversa.session.inbound;

import java.time.Instant;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;
import dev.conversa.security.ConversaPrincipal;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

/**
 * Internal hook of the walking skeleton: injects a text message as if a transport had received it on a session of
 * the caller's tenant. Only for the {@code service} and {@code admin} roles, and not routed by the gateway. The
 * transports of the session issue publish through {@link InboundMessagePublisher} the same way.
 */
@RestController
@RequestMapping("/internal/v1/sessions/{sessionId}/inbound-messages")
class InboundInjectionController {

    private final InboundMessagePublisher publisher;

    InboundInjectionController(InboundMessagePublisher publisher) {
        this.publisher = publisher;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.ACCEPTED)
    @PreAuthorize("hasAnyRole('SERVICE', 'ADMIN')")
    Mono<InboundAccepted> inject(@PathVariable UUID sessionId, @Valid @RequestBody InjectInboundMessage request,
            ConversaPrincipal caller) {
        Instant now = Instant.now();
        MessageReceived message = new MessageReceived(caller.tenantId(), sessionId, request.waMessageId(),
                request.from(), request.contactName(), MessageType.TEXT, request.text(), null, null, null, null, null,
                request.timestamp() == null ? now : request.timestamp(), now);
        return publisher.publish(message)
                .map(metadata -> new InboundAccepted(metadata.id(), request.waMessageId()));
    }
}
