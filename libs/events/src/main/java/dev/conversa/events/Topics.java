package dev.conversa.events;

import java.util.List;

/** Kafka topic names, exactly as in DESIGN.md. Every consumer's dead letters go to {@code <topic>.dlq}. */
public final class Topics {

    /** Commands for the session that owns the key (sessionId): send, read receipts, logout, restart, pairing code. */
    public static final String WA_COMMANDS = "wa.commands";
    /** Session lifecycle events, keyed by sessionId. */
    public static final String WA_SESSION_EVENTS = "wa.session.events";
    /** Messages received from WhatsApp, keyed by sessionId. */
    public static final String WA_MESSAGE_INBOUND = "wa.message.inbound";
    /** Delivery status of outbound messages, keyed by sessionId. */
    public static final String WA_MESSAGE_STATUS = "wa.message.status";
    /** Conversation and stored-message events of the inbox, keyed by conversationId. */
    public static final String CRM_CONVERSATION_EVENTS = "crm.conversation.events";
    /** Campaign progress, keyed by campaignId. */
    public static final String CRM_CAMPAIGN_EVENTS = "crm.campaign.events";

    public static final List<String> ALL = List.of(
            WA_COMMANDS, WA_SESSION_EVENTS, WA_MESSAGE_INBOUND, WA_MESSAGE_STATUS,
            CRM_CONVERSATION_EVENTS, CRM_CAMPAIGN_EVENTS);

    private static final String DLQ_SUFFIX = ".dlq";

    private Topics() {
    }

    /** The dead-letter topic of {@code topic}. */
    public static String dlq(String topic) {
        return topic + DLQ_SUFFIX;
    }
}
