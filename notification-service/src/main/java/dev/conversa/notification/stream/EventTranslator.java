package dev.conversa.notification.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.EventTypes;
import dev.conversa.events.campaign.CampaignProgress;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.conversation.ConversationAssignment;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.session.SessionPairingCode;
import dev.conversa.events.session.SessionQrUpdated;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.notification.stream.RelayedEvent.AssigneeChange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns the Kafka events browsers care about into SSE events: name, scope and a compact JSON data object (ids,
 * statuses, counters and what an inbox row shows; never the CloudEvent envelope). Events browsers do not get
 * ({@code session.health}, commands …) answer empty. Every data object carries {@code eventId} (the CloudEvent id)
 * and {@code type} (the CloudEvent type's short name, e.g. {@code assigned}).
 */
public final class EventTranslator {

    static final String MESSAGE_NEW = "message.new";
    static final String MESSAGE_STATUS = "message.status";
    static final String CONVERSATION_UPDATED = "conversation.updated";
    static final String CONVERSATION_ASSIGNED = "conversation.assigned";
    static final String SESSION_QR = "session.qr";
    static final String SESSION_STATUS = "session.status";
    static final String CAMPAIGN_PROGRESS = "campaign.progress";
    static final String CONTACTS_IMPORT_PROGRESS = "contacts.import.progress";

    /** {@code conversa.contact.import-progress.v1} and {@code import-finished.v1}: read as JSON, by prefix. */
    static final String CONTACT_IMPORT_PREFIX = "conversa.contact.import-";
    private static final String CAMPAIGN_PREFIX = "conversa.campaign.";
    private static final String SESSION_PREFIX = "conversa.session.";

    private static final Map<String, String> CONVERSATION_CHANGES = Map.of(
            EventTypes.CONVERSATION_OPENED, CONVERSATION_UPDATED,
            EventTypes.CONVERSATION_UPDATED, CONVERSATION_UPDATED,
            EventTypes.CONVERSATION_CLOSED, CONVERSATION_UPDATED);
    private static final List<String> ASSIGNMENTS = List.of(EventTypes.CONVERSATION_ASSIGNED,
            EventTypes.CONVERSATION_UNASSIGNED, EventTypes.CONVERSATION_ESCALATED,
            EventTypes.CONVERSATION_RETURNED_TO_BOT);
    /** Lifecycle events carrying {@link SessionStateChanged}; health checks are not sent to browsers. */
    private static final List<String> SESSION_STATES = List.of(EventTypes.SESSION_CREATED, EventTypes.SESSION_PENDING,
            EventTypes.SESSION_QR_READY, EventTypes.SESSION_CONNECTING, EventTypes.SESSION_CONNECTED,
            EventTypes.SESSION_DISCONNECTED, EventTypes.SESSION_LOGGED_OUT, EventTypes.SESSION_BANNED,
            EventTypes.SESSION_FAILED, EventTypes.SESSION_INACTIVE, EventTypes.SESSION_DELETED);

    private final JsonMapper json;

    public EventTranslator(JsonMapper json) {
        this.json = json;
    }

    /**
     * The SSE event for a Kafka event, if browsers get one. {@code conversa.message.stored.v1} is
     * {@code message.new} when the message enters the inbox — an inbound message (stored once, as
     * {@code delivered}) or an outbound one in its first status, {@code pending} — and {@code message.status} for
     * every later status of an outbound message (accepted, sent, delivered, read, failed).
     */
    public Optional<RelayedEvent> translate(EventEnvelope<JsonNode> event) {
        String type = event.type();
        if (EventTypes.MESSAGE_STORED.equals(type)) {
            return Optional.of(message(event, read(event, MessageStored.class)));
        }
        if (CONVERSATION_CHANGES.containsKey(type)) {
            return Optional.of(conversation(event, read(event, ConversationChanged.class)));
        }
        if (ASSIGNMENTS.contains(type)) {
            return Optional.of(assignment(event, read(event, ConversationAssignment.class)));
        }
        if (EventTypes.SESSION_QR_UPDATED.equals(type)) {
            SessionQrUpdated qr = read(event, SessionQrUpdated.class);
            ObjectNode data = base(event).put("sessionId", qr.sessionId().toString()).put("qr", qr.qr())
                    .put("attempt", qr.attempt()).put("expiresAt", qr.expiresAt().toString());
            return Optional.of(management(event, SESSION_QR, data));
        }
        if (EventTypes.SESSION_PAIRING_CODE.equals(type)) {
            SessionPairingCode code = read(event, SessionPairingCode.class);
            ObjectNode data = base(event).put("sessionId", code.sessionId().toString()).put("code", code.code())
                    .put("expiresAt", code.expiresAt().toString());
            return Optional.of(management(event, SESSION_QR, data));
        }
        if (SESSION_STATES.contains(type)) {
            SessionStateChanged state = read(event, SessionStateChanged.class);
            ObjectNode data = base(event).put("sessionId", state.sessionId().toString())
                    .put("status", state.status().value())
                    .put("previousStatus", state.previousStatus() == null ? null : state.previousStatus().value())
                    .put("transport", state.transport().value())
                    .put("phoneNumber", state.phoneNumber())
                    .put("reasonCode", state.reasonCode())
                    .put("reason", state.reason())
                    .put("attempts", state.attempts())
                    .put("occurredAt", state.occurredAt().toString());
            return Optional.of(management(event, SESSION_STATUS, data));
        }
        if (type.startsWith(CAMPAIGN_PREFIX)) {
            CampaignProgress progress = read(event, CampaignProgress.class);
            ObjectNode data = base(event).put("campaignId", progress.campaignId().toString())
                    .put("name", progress.name()).put("status", progress.status().value())
                    .put("total", progress.total()).put("pending", progress.pending()).put("sent", progress.sent())
                    .put("delivered", progress.delivered()).put("read", progress.read())
                    .put("failed", progress.failed()).put("skipped", progress.skipped())
                    .put("occurredAt", progress.occurredAt().toString());
            return Optional.of(management(event, CAMPAIGN_PROGRESS, data));
        }
        if (type.startsWith(CONTACT_IMPORT_PREFIX)) {
            return Optional.of(management(event, CONTACTS_IMPORT_PROGRESS, contactImport(event)));
        }
        return Optional.empty();
    }

    private RelayedEvent message(EventEnvelope<JsonNode> event, MessageStored message) {
        boolean entersInbox = message.direction() == MessageDirection.INBOUND
                || message.status() == DeliveryStatus.PENDING;
        ObjectNode data = base(event)
                .put("tenantId", message.tenantId())
                .put("conversationId", message.conversationId().toString())
                .put("messageId", message.messageId().toString())
                .put("sessionId", message.sessionId().toString())
                .put("waMessageId", message.waMessageId())
                .put("direction", message.direction().value())
                .put("messageType", message.type().value())
                .put("status", message.status().value());
        if (entersInbox) {
            data.put("contactPhone", message.contactPhone()).put("text", message.text());
            if (message.media() != null) {
                data.set("media", json.valueToTree(message.media()));
            }
            data.put("timestamp", message.timestamp().toString());
        }
        data.put("storedAt", message.storedAt().toString());
        return new RelayedEvent(event.id(), entersInbox ? MESSAGE_NEW : MESSAGE_STATUS, event.tenantId(),
                Scope.CONVERSATION, message.conversationId().toString(), AssigneeChange.READ, null, List.of(),
                write(data));
    }

    private RelayedEvent conversation(EventEnvelope<JsonNode> event, ConversationChanged conversation) {
        ObjectNode data = base(event)
                .put("conversationId", conversation.conversationId().toString())
                .put("sessionId", conversation.sessionId().toString())
                .put("status", conversation.status().value())
                .put("assignedAgentId", conversation.assignedAgentId())
                .put("botEnabled", conversation.botEnabled())
                .put("unreadCount", conversation.unreadCount())
                .put("contactPhone", conversation.contactPhone())
                .put("contactName", conversation.contactName())
                .put("lastMessageAt", conversation.lastMessageAt() == null ? null
                        : conversation.lastMessageAt().toString())
                .put("lastMessagePreview", conversation.lastMessagePreview())
                .put("version", conversation.version())
                .put("occurredAt", conversation.occurredAt().toString());
        String agent = conversation.assignedAgentId();
        boolean handled = agent != null && conversation.status() != ConversationStatus.CLOSED;
        return new RelayedEvent(event.id(), CONVERSATION_UPDATED, event.tenantId(), Scope.CONVERSATION,
                conversation.conversationId().toString(), handled ? AssigneeChange.SET : AssigneeChange.CLEAR,
                handled ? agent : null, agents(agent, null), write(data));
    }

    private RelayedEvent assignment(EventEnvelope<JsonNode> event, ConversationAssignment assignment) {
        ObjectNode data = base(event)
                .put("conversationId", assignment.conversationId().toString())
                .put("sessionId", assignment.sessionId().toString())
                .put("agentId", assignment.agentId())
                .put("previousAgentId", assignment.previousAgentId())
                .put("reason", assignment.reason())
                .put("botEnabled", assignment.botEnabled())
                .put("occurredAt", assignment.occurredAt().toString());
        String agent = assignment.agentId();
        return new RelayedEvent(event.id(), CONVERSATION_ASSIGNED, event.tenantId(), Scope.CONVERSATION,
                assignment.conversationId().toString(), agent != null ? AssigneeChange.SET : AssigneeChange.CLEAR,
                agent, agents(agent, assignment.previousAgentId()), write(data));
    }

    private ObjectNode contactImport(EventEnvelope<JsonNode> event) {
        JsonNode payload = event.payload();
        ObjectNode data = base(event);
        for (String field : List.of("importId", "status", "rowsRead", "accepted", "rejected", "duplicates", "error",
                "occurredAt")) {
            JsonNode value = payload.get(field);
            if (value != null && (value.isValueNode() || value.isNull())) {
                data.set(field, value);
            }
        }
        return data;
    }

    private RelayedEvent management(EventEnvelope<JsonNode> event, String name, ObjectNode data) {
        return new RelayedEvent(event.id(), name, event.tenantId(), Scope.MANAGEMENT, null, AssigneeChange.NONE,
                null, List.of(), write(data));
    }

    private ObjectNode base(EventEnvelope<JsonNode> event) {
        String type = event.type();
        int dot = type.lastIndexOf(".v");
        int end = dot > 0 ? dot : type.length();
        String shortName = type.substring(type.lastIndexOf('.', end - 1) + 1, end);
        return json.createObjectNode().put("eventId", event.id()).put("type", shortName);
    }

    private static List<String> agents(@Nullable String first, @Nullable String second) {
        List<String> agents = new ArrayList<>(2);
        if (first != null && !first.isBlank()) {
            agents.add(first);
        }
        if (second != null && !second.isBlank() && !second.equals(first)) {
            agents.add(second);
        }
        return agents;
    }

    private <T> T read(EventEnvelope<JsonNode> event, Class<T> type) {
        try {
            return json.treeToValue(event.payload(), type);
        }
        catch (RuntimeException e) {
            throw new dev.conversa.events.cloudevents.InvalidEventException(
                    "Cannot read " + event.type() + " " + event.id() + " as " + type.getSimpleName(), e);
        }
    }

    private String write(ObjectNode data) {
        return json.writeValueAsString(data);
    }
}
