package dev.conversa.message.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.conversation.ConversationAssignment;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.message.inbox.IngestTestBase;
import dev.conversa.testsupport.TopicRecords;

/** distribution-service's assignment events reach the inbox's conversations and come back as {@code updated}. */
class AssignmentIntegrationTest extends IngestTestBase {

    private static final String TENANT = "tenant-assignment";

    @Test
    void assignedEventSetsTheAgentAndEmitsUpdated() {
        UUID session = UUID.randomUUID();
        UUID conversation = conversation(session, "+5491155554001");

        publishAssignment(EventTypes.CONVERSATION_ASSIGNED, "/distribution-service",
                new ConversationAssignment(TENANT, conversation, session, "agent-7", null, "round-robin", false,
                        Instant.now()));

        await().atMost(TIMEOUT).until(() -> "agent-7".equals(
                text("SELECT assigned_agent_id FROM message.conversations WHERE id = ?", conversation)));
        List<ConsumerRecord<String, byte[]>> updated = conversationEvents(conversation,
                EventTypes.CONVERSATION_UPDATED, 1);
        ConversationChanged state = TopicRecords.payload(updated.getLast(), ConversationChanged.class);
        assertThat(state.assignedAgentId()).isEqualTo("agent-7");
        assertThat(state.botEnabled()).isFalse();
        assertThat(state.status()).isEqualTo(ConversationStatus.OPEN);
        assertThat(state.version()).isEqualTo(1);
        assertThat(TopicRecords.header(updated.getLast(), "ce_source")).isEqualTo("/message-service");
    }

    @Test
    void escalatedToTheQueueWaitsAsPendingAndReturnedToBotOpensAgain() {
        UUID session = UUID.randomUUID();
        UUID conversation = conversation(session, "+5491155554002");

        publishAssignment(EventTypes.CONVERSATION_ESCALATED, "/distribution-service",
                new ConversationAssignment(TENANT, conversation, session, null, null, "customer-asked-for-human",
                        false, Instant.now()));
        await().atMost(TIMEOUT).until(() -> "pending false".equals(text(
                "SELECT status || ' ' || bot_enabled FROM message.conversations WHERE id = ?", conversation)));

        publishAssignment(EventTypes.CONVERSATION_RETURNED_TO_BOT, "/distribution-service",
                new ConversationAssignment(TENANT, conversation, session, null, null, "resolved", true,
                        Instant.now()));
        await().atMost(TIMEOUT).until(() -> "open true".equals(text(
                "SELECT status || ' ' || bot_enabled FROM message.conversations WHERE id = ?", conversation)));
        assertThat(count("SELECT version FROM message.conversations WHERE id = ?", conversation)).isEqualTo(2);
    }

    @Test
    void eventsMessageServicePublishedItselfAreIgnored() {
        UUID session = UUID.randomUUID();
        UUID conversation = conversation(session, "+5491155554003");
        publishAssignment(EventTypes.CONVERSATION_ASSIGNED, "/message-service",
                new ConversationAssignment(TENANT, conversation, session, "agent-loop", null, null, false,
                        Instant.now()));
        publishAssignment(EventTypes.CONVERSATION_ASSIGNED, "/distribution-service",
                new ConversationAssignment(TENANT, conversation, session, "agent-real", null, null, false,
                        Instant.now()));

        await().atMost(TIMEOUT).until(() -> "agent-real".equals(
                text("SELECT assigned_agent_id FROM message.conversations WHERE id = ?", conversation)));
        assertThat(count("SELECT version FROM message.conversations WHERE id = ?", conversation)).isEqualTo(1);
    }

    @Test
    void anotherTenantsConversationIsNotTouched() {
        UUID session = UUID.randomUUID();
        UUID conversation = conversation(session, "+5491155554004");
        publishAssignment(EventTypes.CONVERSATION_ASSIGNED, "/distribution-service",
                new ConversationAssignment("tenant-other", conversation, session, "intruder", null, null, false,
                        Instant.now()));
        publishAssignment(EventTypes.CONVERSATION_ASSIGNED, "/distribution-service",
                new ConversationAssignment(TENANT, conversation, session, "agent-1", null, null, false,
                        Instant.now()));

        await().atMost(TIMEOUT).until(() -> "agent-1".equals(
                text("SELECT assigned_agent_id FROM message.conversations WHERE id = ?", conversation)));
        assertThat(count("SELECT version FROM message.conversations WHERE id = ?", conversation)).isEqualTo(1);
    }

    private UUID conversation(UUID session, String phone) {
        UUID id = UUID.randomUUID();
        servers.database().update("INSERT INTO message.conversations (id, tenant_id, session_id, contact_phone) "
                + "VALUES (?, ?, ?, ?)", id, TENANT, session, phone);
        return id;
    }

    private void publishAssignment(String type, String source, ConversationAssignment assignment) {
        String key = assignment.conversationId().toString();
        EventMetadata metadata = EventMetadata.of(type, source, key, assignment.tenantId(),
                assignment.sessionId().toString());
        publisher.publish(Topics.CRM_CONVERSATION_EVENTS, metadata, assignment, key).block(TIMEOUT);
    }
}
