package dev.conversa.message.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.conversa.events.EventTypes;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.message.inbox.IngestTestBase;
import dev.conversa.testsupport.TopicRecords;
import reactor.core.publisher.Flux;

/** Delivery statuses only move forward, whatever order and concurrency they arrive with, and none is lost. */
class MessageStatusIntegrationTest extends IngestTestBase {

    private static final String TENANT = "tenant-status";

    @Autowired
    MessageStatusRecorder recorder;

    @Autowired
    EarlyStatusPurge purge;

    @Test
    void readBeforeSentEndsRead() {
        SendMessageRequested command = stored(command(TENANT, UUID.randomUUID(), "+5491155552001", "hola"));

        apply(status(command, "wamid.S1", DeliveryStatus.READ));
        apply(status(command, "wamid.S1", DeliveryStatus.SENT));

        assertThat(statusOf(command)).isEqualTo("read");
        assertThat(text("SELECT wa_message_id FROM message.messages WHERE id = ?", command.messageId()))
                .isEqualTo("wamid.S1");
    }

    @Test
    void failedAfterReadIsIgnored() {
        SendMessageRequested command = stored(command(TENANT, UUID.randomUUID(), "+5491155552002", "hola"));

        apply(status(command, "wamid.S2", DeliveryStatus.READ));
        apply(status(command, "wamid.S2", DeliveryStatus.FAILED));

        assertThat(statusOf(command)).isEqualTo("read");
        assertThat(text("SELECT coalesce(error_code::text, 'none') FROM message.messages WHERE id = ?",
                command.messageId())).isEqualTo("none");
    }

    @Test
    void deliveredThenAcceptedStaysDelivered() {
        SendMessageRequested command = stored(command(TENANT, UUID.randomUUID(), "+5491155552003", "hola"));

        apply(status(command, "wamid.S3", DeliveryStatus.DELIVERED));
        apply(status(command, "wamid.S3", DeliveryStatus.ACCEPTED));

        assertThat(statusOf(command)).isEqualTo("delivered");
    }

    @Test
    void failedRecordsTheErrorAndIsTerminal() {
        SendMessageRequested command = stored(command(TENANT, UUID.randomUUID(), "+5491155552004", "hola"));

        apply(status(command, null, DeliveryStatus.ACCEPTED), status(command, null, DeliveryStatus.FAILED));
        apply(status(command, "wamid.S4", DeliveryStatus.DELIVERED));

        assertThat(statusOf(command)).isEqualTo("failed");
        assertThat(text("SELECT error_code || ' ' || error_title || ' ' || retryable FROM message.messages "
                + "WHERE id = ?", command.messageId())).isEqualTo("131026 Message undeliverable false");
    }

    @Test
    void severalStatusesOfOneMessageInOneBatchCountInArrivalOrder() {
        SendMessageRequested read = stored(command(TENANT, UUID.randomUUID(), "+5491155552005", "uno"));
        SendMessageRequested failed = stored(command(TENANT, UUID.randomUUID(), "+5491155552006", "dos"));

        apply(status(read, "wamid.S5", DeliveryStatus.SENT), status(read, "wamid.S5", DeliveryStatus.READ),
                status(read, "wamid.S5", DeliveryStatus.FAILED), status(read, "wamid.S5", DeliveryStatus.DELIVERED),
                status(failed, null, DeliveryStatus.FAILED), status(failed, "wamid.S6", DeliveryStatus.READ));

        assertThat(statusOf(read)).isEqualTo("read");
        assertThat(statusOf(failed)).isEqualTo("failed");
    }

    @Test
    void concurrentStatusBatchesNeverRegress() {
        SendMessageRequested toRead = stored(command(TENANT, UUID.randomUUID(), "+5491155552007", "uno"));
        SendMessageRequested toDelivered = stored(command(TENANT, UUID.randomUUID(), "+5491155552008", "dos"));
        List<DeliveryStatus> forward = List.of(DeliveryStatus.ACCEPTED, DeliveryStatus.SENT,
                DeliveryStatus.DELIVERED, DeliveryStatus.READ);

        Flux.range(0, 48)
                .flatMap(i -> recorder.store(List.of(
                        status(toRead, "wamid.S7", forward.get(i % 4)),
                        status(toDelivered, "wamid.S8", forward.get(i % 3)))), 16)
                .blockLast(TIMEOUT);

        assertThat(statusOf(toRead)).isEqualTo("read");
        assertThat(statusOf(toDelivered)).isEqualTo("delivered");
    }

    @Test
    void statusBeforeItsCommandIsAppliedWhenTheCommandArrives() {
        SendMessageRequested command = command(TENANT, UUID.randomUUID(), "+5491155552009", "llego tarde");
        publishStatus(status(command, "wamid.S9", DeliveryStatus.SENT));
        publishStatus(status(command, "wamid.S9", DeliveryStatus.DELIVERED));
        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM message.early_statuses WHERE "
                + "session_id = ? AND idempotency_key = ?", command.sessionId(), command.idempotencyKey()) == 2);

        publishCommand(command, UUID.randomUUID().toString());

        await().atMost(TIMEOUT).until(() -> "delivered".equals(statusOf(command)));
        assertThat(text("SELECT wa_message_id FROM message.messages WHERE id = ?", command.messageId()))
                .isEqualTo("wamid.S9");
        assertThat(count("SELECT count(*) FROM message.early_statuses WHERE session_id = ?", command.sessionId()))
                .isZero();
        UUID conversation = conversationOf(command);
        List<ConsumerRecord<String, byte[]>> stored = conversationEvents(conversation, EventTypes.MESSAGE_STORED, 1);
        assertThat(TopicRecords.payload(stored.getLast(), MessageStored.class).status())
                .isEqualTo(DeliveryStatus.DELIVERED);
    }

    @Test
    void statusThroughKafkaMovesTheMessageAndAnnouncesTheChange() {
        SendMessageRequested command = command(TENANT, UUID.randomUUID(), "+5491155552010", "hola");
        publishCommand(command, UUID.randomUUID().toString());
        await().atMost(TIMEOUT).until(() -> "pending".equals(statusOf(command)));

        publishStatus(status(command, "wamid.S10", DeliveryStatus.READ));

        await().atMost(TIMEOUT).until(() -> "read".equals(statusOf(command)));
        List<ConsumerRecord<String, byte[]>> stored = conversationEvents(conversationOf(command),
                EventTypes.MESSAGE_STORED, 2);
        assertThat(stored).extracting(record -> TopicRecords.payload(record, MessageStored.class).status())
                .containsExactly(DeliveryStatus.PENDING, DeliveryStatus.READ);
        assertThat(TopicRecords.payload(stored.getLast(), MessageStored.class).waMessageId()).isEqualTo("wamid.S10");
    }

    @Test
    void statusOfAMessageNotSentThroughConversaWaitsAndIsPurgedWhenOld() {
        UUID session = UUID.randomUUID();
        MessageStatusChanged fromPhone = new MessageStatusChanged(TENANT, session, null, "wamid.phone.1", null, null,
                "+5491155552011", DeliveryStatus.DELIVERED, null, null, null, Instant.now());
        recorder.store(List.of(fromPhone)).block(TIMEOUT);
        assertThat(count("SELECT count(*) FROM message.early_statuses WHERE session_id = ?", session)).isEqualTo(1);

        servers.database().update("UPDATE message.early_statuses SET received_at = now() - interval '2 days' "
                + "WHERE session_id = ?", session);
        UUID fresh = UUID.randomUUID();
        recorder.store(List.of(new MessageStatusChanged(TENANT, fresh, null, "wamid.phone.2", null, null,
                "+5491155552011", DeliveryStatus.READ, null, null, null, Instant.now()))).block(TIMEOUT);

        purge.purgeOnce().block(TIMEOUT);

        assertThat(count("SELECT count(*) FROM message.early_statuses WHERE session_id = ?", session)).isZero();
        assertThat(count("SELECT count(*) FROM message.early_statuses WHERE session_id = ?", fresh)).isEqualTo(1);
    }

    /** Records the command through Kafka as the outbound consumer does, and waits for its pending row. */
    private SendMessageRequested stored(SendMessageRequested command) {
        publishCommand(command, UUID.randomUUID().toString());
        await().atMost(TIMEOUT).until(() -> "pending".equals(statusOf(command)));
        return command;
    }

    private void apply(MessageStatusChanged... statuses) {
        recorder.store(List.of(statuses)).block(TIMEOUT);
    }

    private String statusOf(SendMessageRequested command) {
        return count("SELECT count(*) FROM message.messages WHERE id = ?", command.messageId()) == 0 ? null
                : text("SELECT status FROM message.messages WHERE id = ?", command.messageId());
    }

    private UUID conversationOf(SendMessageRequested command) {
        return UUID.fromString(text("SELECT conversation_id FROM message.messages WHERE id = ?",
                command.messageId()));
    }
}
