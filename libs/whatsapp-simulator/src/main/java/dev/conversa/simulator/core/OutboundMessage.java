package dev.conversa.simulator.core;

import java.time.Instant;

/** A send the simulator accepted, with the WhatsApp id it answered. */
public record OutboundMessage(OutboundRequest request, String waMessageId, Instant acceptedAt) {

    public String businessNumber() {
        return request.businessNumber();
    }

    public String to() {
        return request.to();
    }
}
