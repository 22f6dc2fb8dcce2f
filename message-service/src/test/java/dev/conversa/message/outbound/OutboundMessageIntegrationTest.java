package dev.conversa.message.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SessionCommand;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageType;
import dev.conversa.message.inbox.IngestTestBase;
import dev.conversa.testsupport.TopicRecords;

/** Send commands on {@code wa.commands} become pending outbound messages in their conversations, exactly once. */
class OutboundMessageIntegrationTest extends IngestTestBase {

    private static final String TENANT = "tenant-outbound";

    @Autowired
    OutboundMessageRecorder recorder;

    @Test
    void commandDeliveredTwiceIsRecordedAsPendingOnce() {
        SendMessageRequested command = command(TENANT, UUID.randomUUID(), "+5491155553001", "¡Oferta!");
        String eventId = UUID.randomUUID().toString();
        publishCommand(command, eventId);
        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM message.messages WHERE id = ?",
                command.messageId()) == 1);
        UUID conversation = UUID.fromString(text("SELECT conversation_id FROM message.messages WHERE id = ?",
                command.messageId()));
        conversationEvents(conversation, EventTypes.MESSAGE_STORED, 1);

        publishCommand(command, eventId);
        List<ConsumerRecord<String, byte[]>> stored = conversationEvents(conversation, EventTypes.MESSAGE_STORED, 2);

        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", command.sessionId()))
                .isEqualTo(1);
        assertThat(text("SELECT status || ' ' || direction || ' ' || idempotency_key || ' ' || correlation_id || ' '"
                + " || sent_by FROM message.messages WHERE id = ?", command.messageId())).isEqualTo(
                "pending outbound " + command.idempotencyKey() + " " + command.correlationId() + " user:agent-1");
        assertThat(count("SELECT unread_count FROM message.conversations WHERE id = ?", conversation)).isZero();
        assertThat(text("SELECT last_message_preview FROM message.conversations WHERE id = ?", conversation))
                .isEqualTo("¡Oferta!");
        assertThat(stored).extracting(record -> TopicRecords.header(record, "ce_id")).containsOnly(
                TopicRecords.header(stored.getFirst(), "ce_id"));
        MessageStored payload = TopicRecords.payload(stored.getFirst(), MessageStored.class);
        assertThat(payload.status()).isEqualTo(DeliveryStatus.PENDING);
        assertThat(payload.correlationId()).isEqualTo(command.correlationId());
        List<ConsumerRecord<String, byte[]>> opened = conversationEvents(conversation,
                EventTypes.CONVERSATION_OPENED, 1);
        assertThat(TopicRecords.payload(opened.getFirst(), ConversationChanged.class).contactPhone())
                .isEqualTo("+5491155553001");
    }

    @Test
    void commandWhoseMessageTheSendPathWroteFirstWritesNothingMore() {
        UUID session = UUID.randomUUID();
        SendMessageRequested command = command(TENANT, session, "+5491155553002", "desde la API");
        UUID conversation = UUID.randomUUID();
        // what the REST send path writes before it publishes the command: same message id, same key
        servers.database().update("INSERT INTO message.conversations (id, tenant_id, session_id, contact_phone) "
                + "VALUES (?, ?, ?, ?)", conversation, TENANT, session, command.to());
        servers.database().update("INSERT INTO message.messages (id, tenant_id, conversation_id, session_id, "
                + "direction, type, text, status, idempotency_key, correlation_id, sent_by) "
                + "VALUES (?, ?, ?, ?, 'outbound', 'text', ?, 'pending', ?, ?, ?)", command.messageId(), TENANT,
                conversation, session, command.text(), command.idempotencyKey(), command.correlationId(),
                command.requestedBy());

        OutboundMessageRecorder.Stored stored = recorder.store(List.of(command)).block(TIMEOUT);

        assertThat(stored.created()).isEmpty();
        assertThat(stored.opened()).isEmpty();
        assertThat(stored.updated()).isEmpty();
        assertThat(stored.messages()).extracting(row -> row.id()).containsExactly(command.messageId());
        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(count("SELECT version FROM message.conversations WHERE id = ?", conversation)).isZero();
    }

    @Test
    void differentCommandsInOneBatchAreDifferentMessagesAndTheSameKeyTwiceIsOne() {
        UUID session = UUID.randomUUID();
        SendMessageRequested one = command(TENANT, session, "+5491155553003", "uno");
        SendMessageRequested two = command(TENANT, session, "+5491155553003", "dos");
        SendMessageRequested media = new SendMessageRequested(TENANT, session, UUID.randomUUID(), "key-media-" +
                UUID.randomUUID(), "corr", "+5491155553003", MessageType.DOCUMENT, null,
                new MediaRef(null, "application/pdf", "lista.pdf", "precios", "https://example.com/lista.pdf"), null,
                null, "wamid.quoted", null, "campaign-service", Instant.now().plusSeconds(1));

        OutboundMessageRecorder.Stored stored = recorder.store(List.of(one, two, one, media)).block(TIMEOUT);

        assertThat(stored.created()).containsExactlyInAnyOrder(one.messageId(), two.messageId(), media.messageId());
        assertThat(stored.opened()).hasSize(1);
        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(3);
        assertThat(text("SELECT media->>'filename' || ' ' || reply_to_wa_message_id || ' ' || sent_by "
                + "FROM message.messages WHERE id = ?", media.messageId()))
                .isEqualTo("lista.pdf wamid.quoted campaign-service");
        assertThat(text("SELECT last_message_preview FROM message.conversations WHERE session_id = ?", session))
                .isEqualTo("precios");
    }

    @Test
    void otherCommandsOnTheTopicAreIgnored() {
        UUID session = UUID.randomUUID();
        EventMetadata logout = EventMetadata.of(EventTypes.SESSION_LOGOUT_REQUESTED, "/session-service",
                session.toString(), TENANT, session.toString());
        publisher.publish(Topics.WA_COMMANDS, logout, new SessionCommand(TENANT, session, "user:admin",
                Instant.now()), session.toString()).block(TIMEOUT);
        SendMessageRequested after = command(TENANT, session, "+5491155553004", "después");
        publishCommand(after, UUID.randomUUID().toString());

        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM message.messages WHERE id = ?",
                after.messageId()) == 1);
        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(TopicRecords.read(Topics.dlq(Topics.WA_COMMANDS), session.toString(), 1, Duration.ofSeconds(2)))
                .isEmpty();
    }
}
