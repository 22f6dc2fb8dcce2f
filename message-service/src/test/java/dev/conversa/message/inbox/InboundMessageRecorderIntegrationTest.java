package dev.conversa.message.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.conversa.events.message.ButtonReply;
import dev.conversa.events.message.Location;
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;
import dev.conversa.events.message.Reaction;
import reactor.core.publisher.Flux;

/** The inbox's exactness rules on the real database, batch by batch: no duplicate rows, no two messages merged. */
class InboundMessageRecorderIntegrationTest extends IngestTestBase {

    private static final String TENANT = "tenant-recorder";

    @Autowired
    InboundMessageRecorder recorder;

    @Test
    void sameWhatsAppMessageDeliveredTwiceIsStoredOnceAndCountedOnce() {
        UUID session = UUID.randomUUID();
        MessageReceived message = received(TENANT, session, "wamid.A1", "+5491155550001", "hola");

        InboundMessageRecorder.Stored first = recorder.store(List.of(message)).block(TIMEOUT);
        InboundMessageRecorder.Stored second = recorder.store(List.of(message)).block(TIMEOUT);

        assertThat(first.created()).hasSize(1);
        assertThat(second.created()).isEmpty();
        assertThat(second.messages()).extracting(MessageRow::id).containsExactlyElementsOf(first.created());
        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(unread(session)).isEqualTo(1);
    }

    @Test
    void twoDifferentMessagesInOneBatchAreTwoRows() {
        UUID session = UUID.randomUUID();
        InboundMessageRecorder.Stored stored = recorder.store(List.of(
                received(TENANT, session, "wamid.B1", "+5491155550002", "uno"),
                received(TENANT, session, "wamid.B2", "+5491155550002", "uno"))).block(TIMEOUT);

        assertThat(stored.created()).hasSize(2);
        assertThat(stored.opened()).hasSize(1);
        assertThat(stored.messages()).extracting(MessageRow::conversationId).containsOnly(stored.opened().getFirst().id());
        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(2);
        assertThat(unread(session)).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM message.conversations WHERE session_id = ?", session)).isEqualTo(1);
    }

    @Test
    void sameWhatsAppIdTwiceInOneBatchIsOneRow() {
        UUID session = UUID.randomUUID();
        MessageReceived message = received(TENANT, session, "wamid.C1", "+5491155550003", "otra vez");

        InboundMessageRecorder.Stored stored = recorder.store(List.of(message, message)).block(TIMEOUT);

        assertThat(stored.created()).hasSize(1);
        assertThat(stored.messages()).hasSize(1);
        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(unread(session)).isEqualTo(1);
    }

    @Test
    void sameWhatsAppIdOnTwoSessionsIsTwoMessagesInTwoConversations() {
        UUID one = UUID.randomUUID();
        UUID two = UUID.randomUUID();
        InboundMessageRecorder.Stored stored = recorder.store(List.of(
                received(TENANT, one, "wamid.D1", "+5491155550004", "x"),
                received(TENANT, two, "wamid.D1", "+5491155550004", "x"))).block(TIMEOUT);

        assertThat(stored.created()).hasSize(2);
        assertThat(stored.messages()).extracting(MessageRow::conversationId).doesNotHaveDuplicates();
    }

    @Test
    void sameSessionIdAndPhoneInTwoTenantsAreTwoConversations() {
        UUID session = UUID.randomUUID();
        recorder.store(List.of(received("tenant-a", session, "wamid.E1", "+5491155550005", "a"),
                received("tenant-b", session, "wamid.E2", "+5491155550005", "b"))).block(TIMEOUT);

        assertThat(count("SELECT count(*) FROM message.conversations WHERE session_id = ?", session)).isEqualTo(2);
        assertThat(text("SELECT string_agg(DISTINCT m.tenant_id || '=' || c.tenant_id, ',') FROM message.messages m "
                + "JOIN message.conversations c ON c.id = m.conversation_id WHERE m.session_id = ?", session))
                .isIn("tenant-a=tenant-a,tenant-b=tenant-b");
        assertThat(count("SELECT count(*) FROM message.conversations WHERE session_id = ? AND unread_count = 1",
                session)).isEqualTo(2);
    }

    @Test
    void concurrentDeliveriesOfOneMessageLeaveExactlyOneRow() {
        UUID session = UUID.randomUUID();
        MessageReceived message = received(TENANT, session, "wamid.F1", "+5491155550006", "carrera");

        long created = Flux.range(0, 8)
                .flatMap(attempt -> recorder.store(List.of(message)))
                .map(stored -> stored.created().size())
                .reduce(0, Integer::sum)
                .block(TIMEOUT);

        assertThat(created).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(unread(session)).isEqualTo(1);
    }

    @Test
    void storesMediaLocationReactionButtonReplyAndReplyContext() {
        UUID session = UUID.randomUUID();
        Instant now = Instant.now();
        String phone = "+5491155550007";
        MessageReceived image = new MessageReceived(TENANT, session, "wamid.G1", phone, null, MessageType.IMAGE,
                null, new MediaAttachment("media-1", "image/jpeg", "abc", 1234L, null, "la foto", null), null, null,
                null, "wamid.G0", now, now);
        MessageReceived location = new MessageReceived(TENANT, session, "wamid.G2", phone, null,
                MessageType.LOCATION, null, null, new Location(-34.6, -58.4, "Obelisco", null), null, null, null,
                now, now);
        MessageReceived reaction = new MessageReceived(TENANT, session, "wamid.G3", phone, null,
                MessageType.REACTION, null, null, null, new Reaction("wamid.G1", "👍"), null, null, now, now);
        MessageReceived button = new MessageReceived(TENANT, session, "wamid.G4", phone, null, MessageType.BUTTON,
                null, null, null, null, new ButtonReply("yes", "Sí"), null, now.plusSeconds(1), now);

        recorder.store(List.of(image, location, reaction, button)).block(TIMEOUT);

        assertThat(text("SELECT media->>'caption' FROM message.messages WHERE wa_message_id = 'wamid.G1' "
                + "AND session_id = ?", session)).isEqualTo("la foto");
        assertThat(text("SELECT reply_to_wa_message_id FROM message.messages WHERE wa_message_id = 'wamid.G1' "
                + "AND session_id = ?", session)).isEqualTo("wamid.G0");
        assertThat(text("SELECT content->'location'->>'name' FROM message.messages WHERE wa_message_id = 'wamid.G2' "
                + "AND session_id = ?", session)).isEqualTo("Obelisco");
        assertThat(text("SELECT content->'reaction'->>'emoji' || ' ' || reply_to_wa_message_id "
                + "FROM message.messages WHERE wa_message_id = 'wamid.G3' AND session_id = ?", session))
                .isEqualTo("👍 wamid.G1");
        assertThat(text("SELECT content->'buttonReply'->>'id' FROM message.messages "
                + "WHERE wa_message_id = 'wamid.G4' AND session_id = ?", session)).isEqualTo("yes");
        assertThat(text("SELECT last_message_preview FROM message.conversations WHERE session_id = ?", session))
                .isEqualTo("Sí");
    }

    @Test
    void aBatchWritesItsFilesRowsWithItsMessagesOnceHoweverOftenItIsStored() {
        UUID session = UUID.randomUUID();
        UUID photo = UUID.randomUUID();
        UUID pdf = UUID.randomUUID();
        List<MessageReceived> batch = List.of(
                withMedia(session, "wamid.batch-1", MessageType.IMAGE, new MediaAttachment("w1", "image/jpeg",
                        "aa", 10L, null, "foto", photo, true)),
                received(TENANT, session, "wamid.batch-2", "+5491155552001", "y el texto"),
                withMedia(session, "wamid.batch-3", MessageType.DOCUMENT, new MediaAttachment("w3",
                        "application/pdf", "bb", 20L, "factura.pdf", null, pdf, true)));

        recorder.store(batch).block(TIMEOUT);
        recorder.store(batch).block(TIMEOUT);

        assertThat(servers.database().queryLong("SELECT count(*) FROM message.media WHERE session_id = ?", session))
                .isEqualTo(2);
        assertThat(servers.database().queryRow("""
                        SELECT md.type, md.original_filename, md.storage_key, m.wa_message_id
                          FROM message.media md JOIN message.messages m
                            ON m.session_id = md.session_id AND m.wa_message_id = md.wa_message_id
                         WHERE md.id = ?""", pdf))
                .containsEntry("type", "document").containsEntry("original_filename", "factura.pdf")
                .containsEntry("storage_key", TENANT + "/" + pdf).containsEntry("wa_message_id", "wamid.batch-3");
        assertThat(servers.database().queryString("SELECT type FROM message.media WHERE id = ?", photo))
                .isEqualTo("image");
    }

    @Test
    void newMessageReopensAClosedConversationAndKeepsTheContactNameWhenNoneIsGiven() {
        UUID session = UUID.randomUUID();
        String phone = "+5491155550008";
        recorder.store(List.of(received(TENANT, session, "wamid.H1", phone, "hola"))).block(TIMEOUT);
        servers.database().update("UPDATE message.conversations SET status = 'closed' WHERE session_id = ?", session);
        Instant now = Instant.now();
        MessageReceived nameless = new MessageReceived(TENANT, session, "wamid.H2", phone, null, MessageType.TEXT,
                "sigo acá", null, null, null, null, null, now, now);

        InboundMessageRecorder.Stored stored = recorder.store(List.of(nameless)).block(TIMEOUT);

        assertThat(stored.updated()).singleElement().satisfies(conversation -> {
            assertThat(conversation.status().value()).isEqualTo("open");
            assertThat(conversation.contactName()).isEqualTo("Ana");
            assertThat(conversation.unreadCount()).isEqualTo(2);
            assertThat(conversation.lastMessagePreview()).isEqualTo("sigo acá");
        });
    }

    private long unread(UUID session) {
        return count("SELECT unread_count FROM message.conversations WHERE session_id = ?", session);
    }

    private static MessageReceived withMedia(UUID session, String waMessageId, MessageType type,
            MediaAttachment media) {
        Instant now = Instant.now();
        return new MessageReceived(TENANT, session, waMessageId, "+5491155552001", "Ana", type, null, media, null,
                null, null, null, now, now);
    }
}
