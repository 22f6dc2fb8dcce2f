package dev.conversa.events;

import static dev.conversa.events.EventDescriptor.of;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.conversa.events.campaign.CampaignProgress;
import dev.conversa.events.command.PairingCodeRequested;
import dev.conversa.events.command.ReadRequested;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SessionCommand;
import dev.conversa.events.contact.ContactImportProgress;
import dev.conversa.events.conversation.ConversationAssignment;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.events.session.SessionHealth;
import dev.conversa.events.session.SessionPairingCode;
import dev.conversa.events.session.SessionQrUpdated;
import dev.conversa.events.session.SessionStateChanged;

/**
 * The one registry of Conversa's events: every CloudEvents type of DESIGN.md, exactly once, with its topic, payload
 * record and JSON Schema. {@code asyncapi.yaml} and the contract tests are checked against it.
 *
 * <p>Record keys (DESIGN.md, "Event backbone"), also given by {@link #keyOf}:
 * <table>
 * <caption>topic → key</caption>
 * <tr><th>topic</th><th>key</th></tr>
 * <tr><td>{@code wa.commands}</td><td>sessionId</td></tr>
 * <tr><td>{@code wa.session.events}</td><td>sessionId</td></tr>
 * <tr><td>{@code wa.message.inbound}</td><td>sessionId</td></tr>
 * <tr><td>{@code wa.message.status}</td><td>sessionId</td></tr>
 * <tr><td>{@code crm.conversation.events}</td><td>conversationId</td></tr>
 * <tr><td>{@code crm.campaign.events}</td><td>campaignId</td></tr>
 * </table>
 * The key is the UUID string of that payload property, and it is also the event's {@code ce_subject}. One exception,
 * given by {@link EventDescriptor#keyProperty()}: contact-import events share {@code crm.campaign.events} (the
 * campaign feature's topic) keyed by their {@code importId}. Keying
 * {@code wa.commands} by sessionId is what makes the owner of a session's partition the owner of the session.
 */
public final class EventCatalog {

    private static final Map<String, String> KEYS = Map.of(
            Topics.WA_COMMANDS, "sessionId",
            Topics.WA_SESSION_EVENTS, "sessionId",
            Topics.WA_MESSAGE_INBOUND, "sessionId",
            Topics.WA_MESSAGE_STATUS, "sessionId",
            Topics.CRM_CONVERSATION_EVENTS, "conversationId",
            Topics.CRM_CAMPAIGN_EVENTS, "campaignId");

    /** The key of contact-import events, which travel on {@code crm.campaign.events}. */
    private static final String IMPORT_KEY = "importId";

    private static final List<EventDescriptor> ALL = List.of(
            of(EventTypes.MESSAGE_SEND_REQUESTED, Topics.WA_COMMANDS, SendMessageRequested.class),
            of(EventTypes.SESSION_LOGOUT_REQUESTED, Topics.WA_COMMANDS, SessionCommand.class),
            of(EventTypes.SESSION_RESTART_REQUESTED, Topics.WA_COMMANDS, SessionCommand.class),
            of(EventTypes.SESSION_PAIRING_CODE_REQUESTED, Topics.WA_COMMANDS, PairingCodeRequested.class),
            of(EventTypes.MESSAGE_READ_REQUESTED, Topics.WA_COMMANDS, ReadRequested.class),

            of(EventTypes.SESSION_CREATED, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),
            of(EventTypes.SESSION_QR_UPDATED, Topics.WA_SESSION_EVENTS, SessionQrUpdated.class),
            of(EventTypes.SESSION_PAIRING_CODE, Topics.WA_SESSION_EVENTS, SessionPairingCode.class),
            of(EventTypes.SESSION_CONNECTED, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),
            of(EventTypes.SESSION_DISCONNECTED, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),
            of(EventTypes.SESSION_LOGGED_OUT, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),
            of(EventTypes.SESSION_FAILED, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),
            of(EventTypes.SESSION_DELETED, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),
            of(EventTypes.SESSION_HEALTH, Topics.WA_SESSION_EVENTS, SessionHealth.class),
            of(EventTypes.SESSION_PENDING, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),
            of(EventTypes.SESSION_QR_READY, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),
            of(EventTypes.SESSION_CONNECTING, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),
            of(EventTypes.SESSION_BANNED, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),
            of(EventTypes.SESSION_INACTIVE, Topics.WA_SESSION_EVENTS, SessionStateChanged.class),

            of(EventTypes.MESSAGE_RECEIVED, Topics.WA_MESSAGE_INBOUND, MessageReceived.class),

            of(EventTypes.MESSAGE_ACCEPTED, Topics.WA_MESSAGE_STATUS, MessageStatusChanged.class),
            of(EventTypes.MESSAGE_SENT, Topics.WA_MESSAGE_STATUS, MessageStatusChanged.class),
            of(EventTypes.MESSAGE_DELIVERED, Topics.WA_MESSAGE_STATUS, MessageStatusChanged.class),
            of(EventTypes.MESSAGE_READ, Topics.WA_MESSAGE_STATUS, MessageStatusChanged.class),
            of(EventTypes.MESSAGE_FAILED, Topics.WA_MESSAGE_STATUS, MessageStatusChanged.class),

            of(EventTypes.CONVERSATION_OPENED, Topics.CRM_CONVERSATION_EVENTS, ConversationChanged.class),
            of(EventTypes.CONVERSATION_UPDATED, Topics.CRM_CONVERSATION_EVENTS, ConversationChanged.class),
            of(EventTypes.CONVERSATION_ASSIGNED, Topics.CRM_CONVERSATION_EVENTS, ConversationAssignment.class),
            of(EventTypes.CONVERSATION_UNASSIGNED, Topics.CRM_CONVERSATION_EVENTS, ConversationAssignment.class),
            of(EventTypes.CONVERSATION_ESCALATED, Topics.CRM_CONVERSATION_EVENTS, ConversationAssignment.class),
            of(EventTypes.CONVERSATION_RETURNED_TO_BOT, Topics.CRM_CONVERSATION_EVENTS, ConversationAssignment.class),
            of(EventTypes.CONVERSATION_CLOSED, Topics.CRM_CONVERSATION_EVENTS, ConversationChanged.class),
            of(EventTypes.MESSAGE_STORED, Topics.CRM_CONVERSATION_EVENTS, MessageStored.class),

            of(EventTypes.CAMPAIGN_STARTED, Topics.CRM_CAMPAIGN_EVENTS, CampaignProgress.class),
            of(EventTypes.CAMPAIGN_PROGRESS, Topics.CRM_CAMPAIGN_EVENTS, CampaignProgress.class),
            of(EventTypes.CAMPAIGN_PAUSED, Topics.CRM_CAMPAIGN_EVENTS, CampaignProgress.class),
            of(EventTypes.CAMPAIGN_RESUMED, Topics.CRM_CAMPAIGN_EVENTS, CampaignProgress.class),
            of(EventTypes.CAMPAIGN_FINISHED, Topics.CRM_CAMPAIGN_EVENTS, CampaignProgress.class),
            of(EventTypes.CAMPAIGN_CANCELLED, Topics.CRM_CAMPAIGN_EVENTS, CampaignProgress.class),
            of(EventTypes.CONTACT_IMPORT_PROGRESS, Topics.CRM_CAMPAIGN_EVENTS, ContactImportProgress.class,
                    IMPORT_KEY),
            of(EventTypes.CONTACT_IMPORT_FINISHED, Topics.CRM_CAMPAIGN_EVENTS, ContactImportProgress.class,
                    IMPORT_KEY));

    private static final Map<String, EventDescriptor> BY_TYPE = index(ALL);

    private EventCatalog() {
    }

    /** Every event, each type exactly once, grouped by topic in the order of DESIGN.md. */
    public static List<EventDescriptor> all() {
        return ALL;
    }

    /** The event of a CloudEvents type, e.g. to pick the payload record from a record's {@code ce_type}. */
    public static Optional<EventDescriptor> byType(String type) {
        return Optional.ofNullable(BY_TYPE.get(type));
    }

    /** The events that travel on {@code topic}; empty for a topic that is not one of {@link Topics#ALL}. */
    public static List<EventDescriptor> ofTopic(String topic) {
        return ALL.stream().filter(descriptor -> descriptor.topic().equals(topic)).toList();
    }

    /**
     * The payload property whose value is the record key (and {@code ce_subject}) on {@code topic}:
     * {@code sessionId}, {@code conversationId} or {@code campaignId}.
     *
     * @throws IllegalArgumentException for a topic that is not one of {@link Topics#ALL}
     */
    public static String keyOf(String topic) {
        String key = KEYS.get(topic);
        if (key == null) {
            throw new IllegalArgumentException("Not a Conversa topic: " + topic);
        }
        return key;
    }

    private static Map<String, EventDescriptor> index(List<EventDescriptor> descriptors) {
        Map<String, EventDescriptor> byType = new LinkedHashMap<>();
        for (EventDescriptor descriptor : descriptors) {
            if (byType.putIfAbsent(descriptor.type(), descriptor) != null) {
                throw new IllegalStateException("Event type registered twice: " + descriptor.type());
            }
        }
        return Map.copyOf(byType);
    }
}
