package dev.conversa.session.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.conversa.events.Topics;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.events.message.MessageType;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.TopicRecords;

/**
 * Sends taken from {@code wa.commands} a list at a time, on the real PostgreSQL and Kafka: one statement queues the
 * list in its order, a redelivered or repeated command adds nothing, and what cannot be sent is answered with a
 * failed status while the rest of the list is queued.
 */
@ConversaIntegrationTest
class SendRequestsIntegrationTest {

    private static final String TENANT = "tenant-intake";
    private static final String ANA = "+5491155551234";
    private static final String BETO = "+5491155559876";

    @Autowired
    SendRequests sends;

    @Autowired
    DatabaseClient db;

    @Test
    void aListIsQueuedInItsOrderAndARedeliveryOrARepeatAddsNothing() {
        UUID session = session(TENANT);
        // rows written by one statement share created_at: twenty of them in the list's order cannot be luck
        List<SendMessageRequested> list = IntStream.range(0, 20)
                .mapToObj(i -> send(session, TENANT, i % 2 == 0 ? ANA : BETO, "k" + i, "mensaje " + i))
                .toList();
        List<String> keys = list.stream().map(SendMessageRequested::idempotencyKey).toList();

        sends.handle(Stream.concat(list.stream(), Stream.of(list.get(3))).toList()).block();
        sends.handle(list).block();

        assertThat(queue(session)).containsExactlyElementsOf(keys);
    }

    @Test
    void whatCannotBeSentIsRefusedWhileTheRestOfTheListIsQueued() {
        UUID session = session(TENANT);
        UUID othersSession = session("tenant-other");
        UUID unknownSession = UUID.randomUUID();
        SendMessageRequested good = send(session, TENANT, ANA, "ok", "hola");
        SendMessageRequested badRecipient = send(session, TENANT, "5491155551234", "bad-to", "hola");
        SendMessageRequested unknown = send(unknownSession, TENANT, ANA, "unknown", "hola");
        SendMessageRequested notOurs = send(othersSession, TENANT, ANA, "not-ours", "hola");
        SendMessageRequested after = send(session, TENANT, BETO, "after", "chau");

        sends.handle(List.of(good, badRecipient, unknown, notOurs, after)).block();

        assertThat(queue(session)).containsExactly("ok", "after");
        assertThat(queue(othersSession)).isEmpty();
        assertThat(failure(session, badRecipient)).isEqualTo("recipient is not an E.164 number");
        assertThat(failure(unknownSession, unknown)).isEqualTo("unknown session");
        assertThat(failure(othersSession, notOurs)).isEqualTo("unknown session");
    }

    private List<String> queue(UUID session) {
        return db.sql("""
                SELECT idempotency_key FROM session.outbound_messages
                 WHERE session_id = :s AND state = 'queued' ORDER BY priority, created_at, id""")
                .bind("s", session)
                .map(row -> row.get(0, String.class))
                .all()
                .collectList()
                .block();
    }

    private static String failure(UUID session, SendMessageRequested command) {
        List<MessageStatusChanged> statuses = TopicRecords.await(Topics.WA_MESSAGE_STATUS, session, 1).stream()
                .map(record -> TopicRecords.payload(record, MessageStatusChanged.class))
                .filter(status -> status.messageId().equals(command.messageId()))
                .toList();
        assertThat(statuses).singleElement()
                .satisfies(status -> assertThat(status.status()).isEqualTo(DeliveryStatus.FAILED))
                .satisfies(status -> assertThat(status.retryable()).isFalse());
        return statuses.getFirst().errorTitle();
    }

    private UUID session(String tenant) {
        UUID id = UUID.randomUUID();
        db.sql("INSERT INTO session.sessions (id, tenant_id, name, transport) VALUES (:id, :tenant, :name, 'linked')")
                .bind("id", id)
                .bind("name", "intake " + id)
                .bind("tenant", tenant)
                .then()
                .block();
        return id;
    }

    private static SendMessageRequested send(UUID session, String tenant, String to, String key, String text) {
        return new SendMessageRequested(tenant, session, UUID.randomUUID(), key, "corr-" + key, to, MessageType.TEXT,
                text, null, null, null, null, SendPriority.BULK, "campaign:1", Instant.now());
    }
}
