package dev.conversa.session.outbound;

import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.session.status.MessageStatusPublisher;
import reactor.core.publisher.Mono;

/**
 * Turns receipts and webhook statuses into {@code wa.message.status} events that name the send command they belong
 * to. The send is found by the reference the transport echoes (our row id), else by WhatsApp's message id.
 *
 * <p>Rows are written before their events are published (there is no outbox); the first receipt of a send
 * re-announces {@code accepted}, which closes the gap a crash between the two would leave.
 *
 * <p>A receipt for a send whose ack never came (lost on the wire, or sent by an instance that crashed before it got
 * the answer) settles the unknown outcome: the row becomes {@code accepted} and {@code accepted} is emitted before
 * the receipt's own status, so requesters see the usual order. Receipts move the row's delivery status only
 * forward; the event is emitted either way (with a deterministic id, so repeats are dropped downstream) because the
 * requester applies the same monotonic rule. A receipt of a message not sent through Conversa (typed on the phone)
 * is passed on without command fields when the transport names its recipient.
 */
@Component
public class DeliveryReports {

    private static final Logger log = LoggerFactory.getLogger(DeliveryReports.class);

    private final OutboundQueue queue;
    private final OutboundStatuses statuses;
    private final MessageStatusPublisher publisher;

    DeliveryReports(OutboundQueue queue, OutboundStatuses statuses, MessageStatusPublisher publisher) {
        this.queue = queue;
        this.statuses = statuses;
        this.publisher = publisher;
    }

    public Mono<Void> report(DeliveryReport report) {
        return find(report)
                .flatMap(message -> settle(message, report)
                        .then(queue.advanceDelivery(message.id(), report.status()).then())
                        .then(statuses.delivery(message, report.waMessageId(), report.status(), report.occurredAt(),
                                report.errorCode(), report.errorTitle()))
                        .thenReturn(true))
                .switchIfEmpty(Mono.defer(() -> foreign(report).thenReturn(false)))
                .then();
    }

    private Mono<OutboundMessage> find(DeliveryReport report) {
        UUID rowId = uuid(report.clientRef());
        Mono<OutboundMessage> byWaId = Mono.defer(() -> queue.findByWaMessageId(report.sessionId(),
                report.waMessageId()));
        return rowId == null ? byWaId
                : queue.findById(rowId).filter(row -> row.sessionId().equals(report.sessionId()))
                        .switchIfEmpty(byWaId);
    }

    /**
     * A send still waiting for its ack is accepted by its first receipt. A send already accepted whose first
     * receipt this is gets its {@code accepted} event again: the instance that wrote the row may have died before it
     * published the event, and the repeat carries the same event id, so consumers that have it drop it.
     */
    private Mono<Void> settle(OutboundMessage message, DeliveryReport report) {
        if (message.state() == OutboundState.ACCEPTED && message.deliveryStatus() == null
                && message.waMessageId() != null) {
            return statuses.accepted(message, message.waMessageId(), message.updatedAt());
        }
        if (message.state() != OutboundState.SENDING && message.state() != OutboundState.QUEUED) {
            return Mono.empty();
        }
        return queue.accept(message.id(), report.waMessageId())
                .flatMap(accepted -> {
                    log.info("Send {} of session {} settled by its '{}' receipt before its ack was recorded",
                            accepted.id(), accepted.sessionId(), report.status().value());
                    return statuses.accepted(accepted, report.waMessageId(), report.occurredAt());
                });
    }

    private Mono<Void> foreign(DeliveryReport report) {
        if (report.recipient() == null) {
            log.debug("Receipt of session {} for a message not sent through Conversa; dropped", report.sessionId());
            return Mono.empty();
        }
        return publisher.publish(new MessageStatusChanged(report.tenantId(), report.sessionId(), null,
                report.waMessageId(), null, null, report.recipient(), report.status(), report.errorCode(),
                report.errorTitle(), null, report.occurredAt())).then();
    }

    private static @Nullable UUID uuid(@Nullable String value) {
        if (value == null) {
            return null;
        }
        try {
            return UUID.fromString(value);
        }
        catch (IllegalArgumentException notOurs) {
            return null;
        }
    }
}
