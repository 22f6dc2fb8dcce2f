package dev.conversa.simulator.core;

/** The simulator's answer to a send. */
public sealed interface OutboundResult {

    /** Accepted: the message has a WhatsApp id; receipts follow. */
    record Accepted(OutboundMessage message) implements OutboundResult {
    }

    /** Refused because the sending number is banned. */
    record Banned(String businessNumber) implements OutboundResult {
    }
}
