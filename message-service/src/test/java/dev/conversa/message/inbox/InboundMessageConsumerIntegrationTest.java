package dev.conversa.message.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.testsupport.TopicRecords;

/** {@code wa.message.inbound} through Kafka into the inbox and out as conversation events, on a real broker. */
class InboundMessageConsumerIntegrationTest extends IngestTestBase {

    private static final String TENANT = "tenant-inbound";

    @Autowired
    MeterRegistry meters;

    @Test
    void sameEventPublishedThreeTimesIsOneRowAndReannouncedWithTheSameEventId() {
        UUID session = UUID.randomUUID();
        MessageReceived message = received(TENANT, session, "wamid.R1", "+5491155551001", "hola");
        String eventId = UUID.randomUUID().toString();
        publishInbound(message, eventId);
        UUID conversation = awaitConversation(session);
        conversationEvents(conversation, EventTypes.MESSAGE_STORED, 1);

        // redelivered, e.g. after a crash between the commit and the offset commit
        publishInbound(message, eventId);
        publishInbound(message, eventId);
        List<ConsumerRecord<String, byte[]>> stored = conversationEvents(conversation, EventTypes.MESSAGE_STORED, 2);

        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(count("SELECT unread_count FROM message.conversations WHERE id = ?", conversation)).isEqualTo(1);
        assertThat(stored).extracting(record -> TopicRecords.header(record, "ce_id")).containsOnly(
                TopicRecords.header(stored.getFirst(), "ce_id"));
        MessageStored payload = TopicRecords.payload(stored.getFirst(), MessageStored.class);
        assertThat(payload.waMessageId()).isEqualTo("wamid.R1");
        assertThat(payload.text()).isEqualTo("hola");
        assertThat(TopicRecords.header(stored.getFirst(), "ce_source")).isEqualTo("/message-service");
    }

    @Test
    void newConversationIsAnnouncedAsOpenedBeforeItsMessage() {
        UUID session = UUID.randomUUID();
        publishInbound(received(TENANT, session, "wamid.O1", "+5491155551002", "primera vez"),
                UUID.randomUUID().toString());

        UUID conversation = awaitConversation(session);
        List<ConsumerRecord<String, byte[]>> all = TopicRecords.await(
                Topics.CRM_CONVERSATION_EVENTS, conversation, 2);

        assertThat(TopicRecords.types(all)).startsWith(EventTypes.CONVERSATION_OPENED, EventTypes.MESSAGE_STORED);
        ConversationChanged opened = TopicRecords.payload(all.getFirst(), ConversationChanged.class);
        assertThat(opened.contactPhone()).isEqualTo("+5491155551002");
        assertThat(opened.unreadCount()).isEqualTo(1);
        assertThat(opened.lastMessagePreview()).isEqualTo("primera vez");
    }

    @Test
    void burstOfTwoThousandInboundEventsIsStoredCompletely() {
        UUID session = UUID.randomUUID();
        int contacts = 40;
        int perContact = 50;
        List<ProducerEvent> burst = new ArrayList<>();
        for (int i = 0; i < contacts * perContact; i++) {
            String phone = "+54911555%05d".formatted(i % contacts);
            burst.add(inboundEvent(received(TENANT, session, "wamid.burst." + i, phone, "mensaje " + i)));
        }
        // the same records again, interleaved: a redelivery in the middle of a burst adds nothing
        burst.addAll(burst.subList(0, 300));
        double storedBefore = storedInbound();
        produceAll(Topics.WA_MESSAGE_INBOUND, burst);

        await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(250))
                .until(() -> count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)
                        == contacts * perContact);
        assertThat(count("SELECT count(*) FROM message.conversations WHERE session_id = ?", session))
                .isEqualTo(contacts);
        assertThat(count("SELECT count(*) FROM message.conversations WHERE session_id = ? AND unread_count = ?",
                session, perContact)).isEqualTo(contacts);
        assertThat(count("SELECT sum(unread_count) FROM message.conversations WHERE session_id = ?", session))
                .isEqualTo(contacts * perContact);
        // the business meter counts each message once, the redelivered copies not at all
        await().atMost(TIMEOUT).until(() -> storedInbound() - storedBefore == contacts * perContact);
    }

    private double storedInbound() {
        Counter counter = meters.find("conversa.messages.stored").tag("direction", "inbound").counter();
        return counter == null ? 0 : counter.count();
    }

    private UUID awaitConversation(UUID session) {
        await().atMost(TIMEOUT).until(
                () -> count("SELECT count(*) FROM message.conversations WHERE session_id = ?", session) == 1);
        return UUID.fromString(text("SELECT id FROM message.conversations WHERE session_id = ?", session));
    }
}
