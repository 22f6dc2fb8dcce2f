package dev.conversa.simulator.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A status of an outbound message: what a linked device receives as a {@code receipt} frame and the Cloud API
 * posts as a {@code statuses[]} webhook entry.
 *
 * @param errorCode  for {@code failed}: Meta's error code, e.g. 131026 for a recipient not on WhatsApp
 */
public record Receipt(OutboundMessage message, ReceiptStatus status, Instant at, @Nullable Integer errorCode,
        @Nullable String errorTitle) {

    public String waMessageId() {
        return message.waMessageId();
    }
}
