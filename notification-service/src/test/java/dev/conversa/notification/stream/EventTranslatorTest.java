package dev.conversa.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.events.EventTypes;
import dev.conversa.events.campaign.CampaignProgress;
import dev.conversa.events.campaign.CampaignStatus;
import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.conversation.ConversationAssignment;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageType;
import dev.conversa.events.session.SessionHealth;
import dev.conversa.events.session.SessionQrUpdated;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;
import dev.conversa.notification.stream.RelayedEvent.AssigneeChange;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class EventTranslatorTest {

    private static final JsonMapper JSON = new CloudEventCodec().json();
    private static final String TENANT = "tenant-a";
    private static final UUID CONVERSATION = UUID.randomUUID();
    private static final UUID SESSION = UUID.randomUUID();

    private final EventTranslator translator = new EventTranslator(JSON);

    @Test
    void inboundStoredMessageIsNewWithWhatTheInboxShows() {
        RelayedEvent event = translate(EventTypes.MESSAGE_STORED,
                stored(MessageDirection.INBOUND, DeliveryStatus.DELIVERED)).orElseThrow();

        assertThat(event.name()).isEqualTo("message.new");
        assertThat(event.scope()).isEqualTo(Scope.CONVERSATION);
        assertThat(event.assignee()).isEqualTo(AssigneeChange.READ);
        assertThat(event.conversationId()).isEqualTo(CONVERSATION.toString());
        JsonNode data = JSON.readTree(event.data());
        assertThat(data.get("eventId").asString()).isEqualTo(event.sourceId());
        assertThat(data.get("type").asString()).isEqualTo("stored");
        assertThat(data.get("conversationId").asString()).isEqualTo(CONVERSATION.toString());
        assertThat(data.get("text").asString()).isEqualTo("Hola");
        assertThat(data.get("contactPhone").asString()).isEqualTo("+5491155550000");
        assertThat(data.get("direction").asString()).isEqualTo("inbound");
        assertThat(data.get("messageType").asString()).isEqualTo("text");
    }

    @Test
    void outboundMessageIsNewWhenPendingAndAStatusChangeAfterwardsWithoutItsText() {
        assertThat(translate(EventTypes.MESSAGE_STORED, stored(MessageDirection.OUTBOUND, DeliveryStatus.PENDING))
                .orElseThrow().name()).isEqualTo("message.new");
        for (DeliveryStatus status : new DeliveryStatus[] {DeliveryStatus.ACCEPTED, DeliveryStatus.SENT,
                DeliveryStatus.DELIVERED, DeliveryStatus.READ, DeliveryStatus.FAILED}) {
            RelayedEvent event = translate(EventTypes.MESSAGE_STORED, stored(MessageDirection.OUTBOUND, status))
                    .orElseThrow();
            assertThat(event.name()).as(status.name()).isEqualTo("message.status");
            JsonNode data = JSON.readTree(event.data());
            assertThat(data.get("status").asString()).isEqualTo(status.value());
            assertThat(data.has("text")).isFalse();
            assertThat(data.has("contactPhone")).isFalse();
        }
    }

    @Test
    void conversationChangesAreUpdatedAndSetOrClearTheAssignee() {
        RelayedEvent assigned = translate(EventTypes.CONVERSATION_UPDATED, changed("agent-7",
                ConversationStatus.OPEN)).orElseThrow();
        assertThat(assigned.name()).isEqualTo("conversation.updated");
        assertThat(assigned.assignee()).isEqualTo(AssigneeChange.SET);
        assertThat(assigned.newAssignee()).isEqualTo("agent-7");
        assertThat(assigned.agents()).containsExactly("agent-7");
        assertThat(JSON.readTree(assigned.data()).get("type").asString()).isEqualTo("updated");

        RelayedEvent opened = translate(EventTypes.CONVERSATION_OPENED, changed(null, ConversationStatus.OPEN))
                .orElseThrow();
        assertThat(opened.assignee()).isEqualTo(AssigneeChange.CLEAR);
        assertThat(opened.agents()).isEmpty();

        RelayedEvent closed = translate(EventTypes.CONVERSATION_CLOSED, changed("agent-7", ConversationStatus.CLOSED))
                .orElseThrow();
        assertThat(closed.name()).isEqualTo("conversation.updated");
        assertThat(closed.assignee()).isEqualTo(AssigneeChange.CLEAR);
        assertThat(closed.agents()).containsExactly("agent-7");
    }

    @Test
    void assignmentEventsAreAssignedAndNameTheNewAndPreviousAgent() {
        for (String type : new String[] {EventTypes.CONVERSATION_ASSIGNED, EventTypes.CONVERSATION_UNASSIGNED,
                EventTypes.CONVERSATION_ESCALATED, EventTypes.CONVERSATION_RETURNED_TO_BOT}) {
            assertThat(translate(type, assignment("agent-2", "agent-1")).orElseThrow().name()).as(type)
                    .isEqualTo("conversation.assigned");
        }
        RelayedEvent moved = translate(EventTypes.CONVERSATION_ASSIGNED, assignment("agent-2", "agent-1"))
                .orElseThrow();
        assertThat(moved.agents()).containsExactly("agent-2", "agent-1");
        assertThat(moved.assignee()).isEqualTo(AssigneeChange.SET);
        assertThat(moved.newAssignee()).isEqualTo("agent-2");

        RelayedEvent unassigned = translate(EventTypes.CONVERSATION_UNASSIGNED, assignment(null, "agent-1"))
                .orElseThrow();
        assertThat(unassigned.assignee()).isEqualTo(AssigneeChange.CLEAR);
        assertThat(unassigned.agents()).containsExactly("agent-1");
        assertThat(JSON.readTree(unassigned.data()).get("type").asString()).isEqualTo("unassigned");
    }

    @Test
    void sessionQrAndStatusAreManagementEvents() {
        RelayedEvent qr = translate(EventTypes.SESSION_QR_UPDATED,
                new SessionQrUpdated(TENANT, SESSION, "2@abc", 2, Instant.now())).orElseThrow();
        assertThat(qr.name()).isEqualTo("session.qr");
        assertThat(qr.scope()).isEqualTo(Scope.MANAGEMENT);
        assertThat(JSON.readTree(qr.data()).get("qr").asString()).isEqualTo("2@abc");

        RelayedEvent loggedOut = translate(EventTypes.SESSION_LOGGED_OUT, new SessionStateChanged(TENANT, SESSION,
                SessionStatus.LOGGED_OUT, SessionStatus.CONNECTED, SessionTransport.LINKED, "+5491100000001", 401,
                "logged out", 0, Instant.now())).orElseThrow();
        assertThat(loggedOut.name()).isEqualTo("session.status");
        assertThat(loggedOut.scope()).isEqualTo(Scope.MANAGEMENT);
        JsonNode data = JSON.readTree(loggedOut.data());
        assertThat(data.get("status").asString()).isEqualTo("logged_out");
        assertThat(data.get("previousStatus").asString()).isEqualTo("connected");
        assertThat(data.get("type").asString()).isEqualTo("logged-out");
    }

    @Test
    void campaignAndContactImportEventsAreProgress() {
        RelayedEvent campaign = translate(EventTypes.CAMPAIGN_PROGRESS, new CampaignProgress(TENANT,
                UUID.randomUUID(), "Promo", CampaignStatus.RUNNING, 10, 4, 6, 3, 1, 0, 0, Instant.now()))
                .orElseThrow();
        assertThat(campaign.name()).isEqualTo("campaign.progress");
        assertThat(campaign.scope()).isEqualTo(Scope.MANAGEMENT);
        assertThat(JSON.readTree(campaign.data()).get("sent").asLong()).isEqualTo(6);

        RelayedEvent contacts = translate("conversa.contact.import-progress.v1", Map.of("tenantId", TENANT,
                "importId", "imp-1", "status", "processing", "rowsRead", 120, "accepted", 100,
                "secretExtra", Map.of("nested", true))).orElseThrow();
        assertThat(contacts.name()).isEqualTo("contacts.import.progress");
        assertThat(contacts.scope()).isEqualTo(Scope.MANAGEMENT);
        JsonNode data = JSON.readTree(contacts.data());
        assertThat(data.get("importId").asString()).isEqualTo("imp-1");
        assertThat(data.get("rowsRead").asInt()).isEqualTo(120);
        assertThat(data.get("type").asString()).isEqualTo("import-progress");
        assertThat(data.has("secretExtra")).isFalse();
    }

    @Test
    void eventsBrowsersDoNotGetAreDropped() {
        assertThat(translate(EventTypes.SESSION_HEALTH, new SessionHealth(TENANT, SESSION, SessionStatus.CONNECTED,
                true, 12L, Instant.now()))).isEmpty();
        assertThat(translate(EventTypes.MESSAGE_RECEIVED, Map.of("tenantId", TENANT))).isEmpty();
    }

    private Optional<RelayedEvent> translate(String type, Object payload) {
        EventMetadata metadata = new EventMetadata(UUID.randomUUID().toString(), type, "/test", Instant.now(),
                "subject", TENANT, null);
        return translator.translate(new EventEnvelope<>(metadata, JSON.valueToTree(payload)));
    }

    private static MessageStored stored(MessageDirection direction, DeliveryStatus status) {
        return new MessageStored(TENANT, CONVERSATION, UUID.randomUUID(), SESSION, "wamid.1", direction,
                MessageType.TEXT, status, "+5491155550000", "Hola", null, null, Instant.now(), Instant.now());
    }

    private static ConversationChanged changed(String agent, ConversationStatus status) {
        return new ConversationChanged(TENANT, CONVERSATION, SESSION, "+5491155550000", "Ana", status, agent, false,
                1, Instant.now(), "Hola", 3, Instant.now());
    }

    private static ConversationAssignment assignment(String agent, String previous) {
        return new ConversationAssignment(TENANT, CONVERSATION, SESSION, agent, previous, "round-robin", false,
                Instant.now());
    }
}
