package dev.conversa.message.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageType;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** The inbox's exactness rules, on the real database: no duplicate rows, and no two messages merged. */
@ConversaIntegrationTest
class InboundMessageRecorderIntegrationTest {

    private static final String TENANT = "tenant-recorder";
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Autowired
    InboundMessageRecorder recorder;

    @Autowired
    RealServers servers;

    @Test
    void sameWhatsAppMessageDeliveredTwiceIsStoredOnceAndCountedOnce() throws Exception {
        UUID session = UUID.randomUUID();
        MessageReceived message = received(session, "wamid.A1", "+5491155550001", "hola");

        StepVerifier.create(recorder.store(message))
                .assertNext(stored -> assertThat(stored.created()).isTrue())
                .verifyComplete();
        StepVerifier.create(recorder.store(message))
                .assertNext(stored -> assertThat(stored.created()).isFalse())
                .verifyComplete();

        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(count("SELECT unread_count FROM message.conversations WHERE session_id = ?", session))
                .isEqualTo(1);
    }

    @Test
    void differentMessagesOfOneContactShareTheConversationAndAreNeverMerged() throws Exception {
        UUID session = UUID.randomUUID();
        var first = recorder.store(received(session, "wamid.B1", "+5491155550002", "uno")).block(TIMEOUT);
        var second = recorder.store(received(session, "wamid.B2", "+5491155550002", "uno")).block(TIMEOUT);

        assertThat(first.conversationId()).isEqualTo(second.conversationId());
        assertThat(first.messageId()).isNotEqualTo(second.messageId());
        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(2);
        assertThat(count("SELECT unread_count FROM message.conversations WHERE session_id = ?", session))
                .isEqualTo(2);
    }

    @Test
    void sameWhatsAppIdOnTwoSessionsIsTwoMessagesInTwoConversations() throws Exception {
        UUID one = UUID.randomUUID();
        UUID two = UUID.randomUUID();
        var a = recorder.store(received(one, "wamid.C1", "+5491155550003", "x")).block(TIMEOUT);
        var b = recorder.store(received(two, "wamid.C1", "+5491155550003", "x")).block(TIMEOUT);

        assertThat(a.messageId()).isNotEqualTo(b.messageId());
        assertThat(a.conversationId()).isNotEqualTo(b.conversationId());
    }

    @Test
    void concurrentDeliveriesOfOneMessageLeaveExactlyOneRow() throws Exception {
        UUID session = UUID.randomUUID();
        MessageReceived message = received(session, "wamid.D1", "+5491155550004", "carrera");

        long created = Flux.range(0, 8)
                .flatMap(attempt -> recorder.store(message))
                .filter(StoredMessage::created)
                .count()
                .block(TIMEOUT);

        assertThat(created).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM message.messages WHERE session_id = ?", session)).isEqualTo(1);
        assertThat(count("SELECT unread_count FROM message.conversations WHERE session_id = ?", session))
                .isEqualTo(1);
    }

    private static MessageReceived received(UUID session, String waMessageId, String from, String text) {
        Instant now = Instant.now();
        return new MessageReceived(TENANT, session, waMessageId, from, "Ana", MessageType.TEXT, text, null, null,
                null, null, null, now, now);
    }

    private long count(String sql, UUID session) {
        return servers.database().queryLong(sql, session);
    }
}
