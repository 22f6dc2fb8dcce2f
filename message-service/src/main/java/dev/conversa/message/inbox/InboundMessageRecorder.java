package dev.conversa.message.inbox;

import java.time.OffsetDateTime;
import java.util.UUID;

import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.web.id.Uuids;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Mono;

/**
 * Stores an inbound WhatsApp message in its conversation, exactly once: the conversation is found or opened, the
 * message is inserted unless {@code (session_id, wa_message_id)} exists, and only a new message moves the
 * conversation's unread count and preview, all in one transaction. A redelivered event finds its message and
 * announces it again (same event id), so a crash between commit and publish loses nothing.
 */
@Component
class InboundMessageRecorder {

    private static final Logger log = LoggerFactory.getLogger(InboundMessageRecorder.class);
    private static final int PREVIEW_LENGTH = 120;

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final StoredMessageAnnouncer announcer;

    InboundMessageRecorder(DatabaseClient db, TransactionalOperator transaction, StoredMessageAnnouncer announcer) {
        this.db = db;
        this.transaction = transaction;
        this.announcer = announcer;
    }

    Mono<Void> record(EventEnvelope<MessageReceived> event) {
        if (!EventTypes.MESSAGE_RECEIVED.equals(event.type())) {
            log.debug("Ignoring {} {} on the inbound topic", event.type(), event.id());
            return Mono.empty();
        }
        MessageReceived message = event.payload();
        return store(message)
                .doOnNext(stored -> log.info("{} inbound {} from {} as {} in conversation {}",
                        stored.created() ? "Stored" : "Already had", message.type().value(),
                        Pii.phone(message.from()), stored.messageId(), stored.conversationId()))
                .flatMap(stored -> announcer.announce(message, stored));
    }

    Mono<StoredMessage> store(MessageReceived message) {
        return openConversation(message)
                .flatMap(conversationId -> insertMessage(message, conversationId)
                        .flatMap(stored -> touchConversation(message, stored).thenReturn(stored))
                        .switchIfEmpty(Mono.defer(() -> existingMessage(message))))
                .as(transaction::transactional);
    }

    private Mono<UUID> openConversation(MessageReceived message) {
        return db.sql("""
                INSERT INTO message.conversations (id, tenant_id, session_id, contact_phone, contact_name)
                VALUES (:id, :tenantId, :sessionId, :phone, :name)
                ON CONFLICT (tenant_id, session_id, contact_phone)
                DO UPDATE SET contact_name = COALESCE(EXCLUDED.contact_name, conversations.contact_name)
                RETURNING id""")
                .bind("id", Uuids.v7())
                .bind("tenantId", message.tenantId())
                .bind("sessionId", message.sessionId())
                .bind("phone", message.from())
                .bind("name", Parameters.in(R2dbcType.VARCHAR, message.contactName()))
                .map(row -> row.get("id", UUID.class))
                .one();
    }

    private Mono<StoredMessage> insertMessage(MessageReceived message, UUID conversationId) {
        return db.sql("""
                INSERT INTO message.messages (id, tenant_id, conversation_id, session_id, direction, type, text,
                                              wa_message_id, status, wa_timestamp)
                VALUES (:id, :tenantId, :conversationId, :sessionId, 'inbound', :type, :text,
                        :waMessageId, 'delivered', :timestamp)
                ON CONFLICT (session_id, wa_message_id) WHERE wa_message_id IS NOT NULL DO NOTHING
                RETURNING id, created_at""")
                .bind("id", Uuids.v7())
                .bind("tenantId", message.tenantId())
                .bind("conversationId", conversationId)
                .bind("sessionId", message.sessionId())
                .bind("type", message.type().value())
                .bind("text", Parameters.in(R2dbcType.VARCHAR, message.text()))
                .bind("waMessageId", message.waMessageId())
                .bind("timestamp", message.timestamp())
                .map(row -> new StoredMessage(row.get("id", UUID.class), conversationId,
                        row.get("created_at", OffsetDateTime.class).toInstant(), true))
                .one();
    }

    private Mono<Long> touchConversation(MessageReceived message, StoredMessage stored) {
        String text = message.text() == null ? "" : message.text();
        return db.sql("""
                UPDATE message.conversations
                   SET unread_count = unread_count + 1,
                       last_message_at = GREATEST(COALESCE(last_message_at, :at), :at),
                       last_message_preview = :preview,
                       status = CASE WHEN status = 'closed' THEN 'open' ELSE status END,
                       version = version + 1,
                       updated_at = now()
                 WHERE id = :id""")
                .bind("at", message.timestamp())
                .bind("preview", text.length() <= PREVIEW_LENGTH ? text : text.substring(0, PREVIEW_LENGTH))
                .bind("id", stored.conversationId())
                .fetch().rowsUpdated();
    }

    private Mono<StoredMessage> existingMessage(MessageReceived message) {
        return db.sql("""
                SELECT id, conversation_id, created_at FROM message.messages
                 WHERE session_id = :sessionId AND wa_message_id = :waMessageId""")
                .bind("sessionId", message.sessionId())
                .bind("waMessageId", message.waMessageId())
                .map(row -> new StoredMessage(row.get("id", UUID.class), row.get("conversation_id", UUID.class),
                        row.get("created_at", OffsetDateTime.class).toInstant(), false))
                .one();
    }
}
