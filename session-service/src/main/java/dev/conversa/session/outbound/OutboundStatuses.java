package dev.conversa.session.outbound;

import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.session.status.MessageStatusPublisher;
import reactor.core.publisher.Mono;

/**
 * The {@code wa.message.status} events of queued sends, always carrying the command's {@code messageId},
 * {@code idempotencyKey} and {@code correlationId} so the requester finds its own record.
 */
@Component
class OutboundStatuses {

    private final MessageStatusPublisher publisher;

    OutboundStatuses(MessageStatusPublisher publisher) {
        this.publisher = publisher;
    }

    Mono<Void> accepted(OutboundMessage message, String waMessageId, Instant at) {
        return publish(message.command(), waMessageId, DeliveryStatus.ACCEPTED, null, null, null, at);
    }

    Mono<Void> failed(OutboundMessage message, @Nullable Integer errorCode, String errorTitle, boolean retryable) {
        return failed(message.command(), message.waMessageId(), errorCode, errorTitle, retryable);
    }

    Mono<Void> failed(SendMessageRequested command, @Nullable String waMessageId, @Nullable Integer errorCode,
            String errorTitle, boolean retryable) {
        return publish(command, waMessageId, DeliveryStatus.FAILED, errorCode, errorTitle, retryable, Instant.now());
    }

    Mono<Void> delivery(OutboundMessage message, String waMessageId, DeliveryStatus status, Instant at,
            @Nullable Integer errorCode, @Nullable String errorTitle) {
        return publish(message.command(), waMessageId, status, errorCode, errorTitle,
                status == DeliveryStatus.FAILED ? Boolean.FALSE : null, at);
    }

    private Mono<Void> publish(SendMessageRequested command, @Nullable String waMessageId, DeliveryStatus status,
            @Nullable Integer errorCode, @Nullable String errorTitle, @Nullable Boolean retryable, Instant at) {
        return publisher.publish(new MessageStatusChanged(command.tenantId(), command.sessionId(),
                        command.messageId(), waMessageId, command.idempotencyKey(), command.correlationId(),
                        command.to(), status, errorCode, errorTitle, retryable, at))
                .then();
    }
}
