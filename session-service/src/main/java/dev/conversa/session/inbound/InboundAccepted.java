package dev.conversa.session.inbound;

/** The answer of the injection endpoint: the CloudEvent id the message travels under. */
record InboundAccepted(String eventId, String waMessageId) {
}
