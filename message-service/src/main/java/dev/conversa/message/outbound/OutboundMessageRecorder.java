package dev.conversa.message.outbound;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.message.inbox.ConversationRow;
import dev.conversa.message.inbox.ConversationStore;
import dev.conversa.message.inbox.ConversationStore.Contact;
import dev.conversa.message.inbox.ConversationStore.ContactKey;
import dev.conversa.message.inbox.ConversationStore.Touch;
import dev.conversa.message.inbox.InboxEvents;
import dev.conversa.message.inbox.MessageMetrics;
import dev.conversa.message.inbox.MessageParts;
import dev.conversa.message.inbox.MessageRow;
import dev.conversa.message.status.EarlyStatuses;
import reactor.core.publisher.Mono;

/**
 * Records send commands ({@code conversa.message.send-requested.v1} on {@code wa.commands}) as {@code pending}
 * outbound messages in the conversation of (tenant, session, recipient), so every message sent from a session —
 * an agent's, a bot's, a campaign's — shows in its conversation. One transaction per batch: conversations found or
 * opened, messages inserted unless the tenant already has the command's idempotency key (the REST send path writes
 * the same row, same id and key, before it publishes the command: then nothing is written here), statuses that
 * arrived before the command applied, last message and preview of the conversations moved (no unread count: the
 * contact did not write). Then {@code opened} for new conversations, {@code stored} for each message (with its
 * current status, same event id on a redelivery), {@code updated} for conversations that changed.
 */
@Component
class OutboundMessageRecorder {

    private static final Logger log = LoggerFactory.getLogger(OutboundMessageRecorder.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final ConversationStore conversations;
    private final EarlyStatuses early;
    private final InboxEvents events;
    private final CloudEventCodec codec;
    private final MessageMetrics metrics;

    OutboundMessageRecorder(DatabaseClient db, TransactionalOperator transaction, ConversationStore conversations,
            EarlyStatuses early, InboxEvents events, CloudEventCodec codec, MessageMetrics metrics) {
        this.metrics = metrics;
        this.db = db;
        this.transaction = transaction;
        this.conversations = conversations;
        this.early = early;
        this.events = events;
        this.codec = codec;
    }

    record Stored(List<ConversationRow> opened, List<ConversationRow> updated, List<MessageRow> messages,
            Set<UUID> created) {
    }

    Mono<Void> record(List<EventEnvelope<SendMessageRequested>> batch) {
        List<SendMessageRequested> commands = batch.stream()
                .filter(event -> EventTypes.MESSAGE_SEND_REQUESTED.equals(event.type()))
                .map(EventEnvelope::payload)
                .toList();
        if (commands.isEmpty()) {
            return Mono.empty();
        }
        return store(commands)
                .doOnNext(stored -> log.info("Recorded {} send commands: {} new pending messages, {} conversations "
                        + "opened", commands.size(), stored.created().size(), stored.opened().size()))
                .doOnNext(stored -> metrics.stored(MessageDirection.OUTBOUND, stored.created().size()))
                .flatMap(stored -> events.publish(stored.opened(), stored.messages(), stored.updated()));
    }

    Mono<Stored> store(List<SendMessageRequested> batch) {
        Map<CommandKey, SendMessageRequested> unique = new LinkedHashMap<>();
        batch.forEach(command -> unique.putIfAbsent(CommandKey.of(command), command));
        List<SendMessageRequested> commands = List.copyOf(unique.values());
        List<Contact> contacts = commands.stream().map(command -> new Contact(contactOf(command), null)).toList();
        return conversations.open(contacts)
                .flatMap(opened -> insert(commands, opened)
                        .flatMap(created -> find(commands)
                                .flatMap(ids -> early.applyTo(ids.values())
                                        .then(touch(commands, opened, created))
                                        .flatMap(touched -> load(ids.values())
                                                .map(rows -> result(opened, touched, rows, created))))))
                .as(transaction::transactional);
    }

    /** Inserts the commands the tenant has no message for yet; answers the ids inserted. */
    private Mono<Set<UUID>> insert(List<SendMessageRequested> commands, Map<ContactKey, ConversationRow> opened) {
        int n = commands.size();
        UUID[] ids = new UUID[n];
        String[] tenants = new String[n];
        UUID[] conversationIds = new UUID[n];
        UUID[] sessions = new UUID[n];
        String[] types = new String[n];
        String[] texts = new String[n];
        String[] media = new String[n];
        String[] content = new String[n];
        String[] replyTo = new String[n];
        String[] keys = new String[n];
        String[] correlations = new String[n];
        String[] sentBy = new String[n];
        String[] requestedAt = new String[n];
        for (int i = 0; i < n; i++) {
            SendMessageRequested command = commands.get(i);
            ids[i] = command.messageId();
            tenants[i] = command.tenantId();
            conversationIds[i] = opened.get(contactOf(command)).id();
            sessions[i] = command.sessionId();
            types[i] = command.type().value();
            texts[i] = command.text();
            media[i] = MessageParts.media(codec, command);
            content[i] = MessageParts.content(codec, command);
            replyTo[i] = command.replyToWaMessageId();
            keys[i] = command.idempotencyKey();
            correlations[i] = command.correlationId();
            sentBy[i] = command.requestedBy();
            requestedAt[i] = command.requestedAt().toString();
        }
        // the arbiter is the idempotency key only: a different command reusing a message id fails loudly (and is
        // parked) instead of being silently merged into another message
        return db.sql("""
                INSERT INTO message.messages (id, tenant_id, conversation_id, session_id, direction, type, text, media,
                                              content, reply_to_wa_message_id, status, idempotency_key,
                                              correlation_id, sent_by, created_at, updated_at)
                SELECT u.id, u.tenant_id, u.conversation_id, u.session_id, 'outbound', u.type, u.text,
                       u.media::jsonb, u.content::jsonb, u.reply_to, 'pending', u.idempotency_key, u.correlation_id,
                       u.sent_by, now(), now()
                  FROM unnest(:ids::uuid[], :tenants::text[], :conversations::uuid[], :sessions::uuid[],
                              :types::text[], :texts::text[], :media::text[], :content::text[], :replyTo::text[],
                              :keys::text[], :correlations::text[], :sentBy::text[])
                       AS u(id, tenant_id, conversation_id, session_id, type, text, media, content, reply_to,
                            idempotency_key, correlation_id, sent_by)
                ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                RETURNING id""")
                .bind("ids", ids)
                .bind("tenants", tenants)
                .bind("conversations", conversationIds)
                .bind("sessions", sessions)
                .bind("types", types)
                .bind("texts", texts)
                .bind("media", media)
                .bind("content", content)
                .bind("replyTo", replyTo)
                .bind("keys", keys)
                .bind("correlations", correlations)
                .bind("sentBy", sentBy)
                .map(row -> row.get("id", UUID.class))
                .all()
                .collect(HashSet::new, Set::add);
    }

    /** The message of each command as stored (inserted now, or before by the REST send path). */
    private Mono<Map<CommandKey, UUID>> find(List<SendMessageRequested> commands) {
        int n = commands.size();
        String[] tenants = new String[n];
        String[] keys = new String[n];
        for (int i = 0; i < n; i++) {
            tenants[i] = commands.get(i).tenantId();
            keys[i] = commands.get(i).idempotencyKey();
        }
        return db.sql("""
                SELECT m.id, m.tenant_id, m.idempotency_key FROM message.messages m
                  JOIN unnest(:tenants::text[], :keys::text[]) AS k(tenant_id, idempotency_key)
                    ON m.tenant_id = k.tenant_id AND m.idempotency_key = k.idempotency_key""")
                .bind("tenants", tenants)
                .bind("keys", keys)
                .map(row -> Map.entry(new CommandKey(row.get("tenant_id", String.class),
                        row.get("idempotency_key", String.class)), row.get("id", UUID.class)))
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue);
    }

    private Mono<List<ConversationRow>> touch(List<SendMessageRequested> commands,
            Map<ContactKey, ConversationRow> opened, Set<UUID> created) {
        Map<UUID, Touch> touches = new LinkedHashMap<>();
        for (SendMessageRequested command : commands) {
            if (!created.contains(command.messageId())) {
                continue;
            }
            UUID conversationId = opened.get(contactOf(command)).id();
            Touch previous = touches.get(conversationId);
            boolean newest = previous == null || !command.requestedAt().isBefore(previous.at());
            touches.put(conversationId, new Touch(conversationId, 0,
                    newest ? command.requestedAt() : previous.at(),
                    newest ? MessageParts.preview(command) : previous.preview(), false));
        }
        return conversations.touch(touches.values());
    }

    private Mono<List<MessageRow>> load(java.util.Collection<UUID> ids) {
        return db.sql(MessageRow.SELECT + " WHERE m.id = ANY(:ids::uuid[]) ORDER BY m.conversation_id, m.created_at")
                .bind("ids", ids.toArray(UUID[]::new))
                .map(MessageRow::from)
                .all()
                .collectList();
    }

    private static Stored result(Map<ContactKey, ConversationRow> opened, List<ConversationRow> touched,
            List<MessageRow> rows, Set<UUID> created) {
        Map<UUID, ConversationRow> latest = new HashMap<>();
        opened.values().forEach(row -> latest.put(row.id(), row));
        touched.forEach(row -> latest.put(row.id(), row));
        Map<UUID, ConversationRow> newConversations = new LinkedHashMap<>();
        opened.values().stream().filter(ConversationRow::created)
                .forEach(row -> newConversations.put(row.id(), latest.get(row.id())));
        List<ConversationRow> changed = new ArrayList<>();
        touched.stream().filter(row -> !newConversations.containsKey(row.id())).forEach(changed::add);
        for (MessageRow row : rows) {
            ConversationRow conversation = latest.get(row.conversationId());
            if (!created.contains(row.id()) && row.openedItsConversation() && conversation != null) {
                newConversations.putIfAbsent(conversation.id(), conversation);
            }
        }
        return new Stored(List.copyOf(newConversations.values()), changed, rows, created);
    }

    private static ContactKey contactOf(SendMessageRequested command) {
        return new ContactKey(command.tenantId(), command.sessionId(), command.to());
    }

    /** The dedup key of an outbound message. */
    record CommandKey(String tenantId, String idempotencyKey) {

        static CommandKey of(SendMessageRequested command) {
            return new CommandKey(command.tenantId(), command.idempotencyKey());
        }
    }
}
