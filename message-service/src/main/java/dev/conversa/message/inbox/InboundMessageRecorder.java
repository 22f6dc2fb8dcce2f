package dev.conversa.message.inbox;

import java.time.Instant;
import java.time.OffsetDateTime;
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
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.message.inbox.ConversationStore.Contact;
import dev.conversa.message.inbox.ConversationStore.ContactKey;
import dev.conversa.message.inbox.ConversationStore.Opened;
import dev.conversa.message.inbox.ConversationStore.Touch;
import dev.conversa.message.media.InboundMediaRecorder;
import dev.conversa.web.id.Uuids;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Mono;

/**
 * Stores inbound WhatsApp messages exactly once, a batch per transaction: the batch's conversations are found or
 * opened in one statement, its messages inserted in one more unless {@code (session_id, wa_message_id)} exists
 * (the same id twice in a batch is one message; different ids are always different rows), and only the rows this
 * transaction inserted move their conversation's unread count, last message and preview, and reopen it if it was
 * closed; the rows of the files session-service stored for them ({@code message.media}) are written in the same
 * transaction. After the commit every message of the batch is announced, the ones that already existed too, with
 * the same event id as the first time, so a crash between commit and publish loses nothing.
 */
@Component
class InboundMessageRecorder {

    private static final Logger log = LoggerFactory.getLogger(InboundMessageRecorder.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final ConversationStore conversations;
    private final InboxEvents events;
    private final CloudEventCodec codec;
    private final MessageMetrics metrics;
    private final InboundMediaRecorder media;

    InboundMessageRecorder(DatabaseClient db, TransactionalOperator transaction, ConversationStore conversations,
            InboxEvents events, CloudEventCodec codec, MessageMetrics metrics, InboundMediaRecorder media) {
        this.metrics = metrics;
        this.media = media;
        this.db = db;
        this.transaction = transaction;
        this.conversations = conversations;
        this.events = events;
        this.codec = codec;
    }

    /** What one batch did: the conversations it opened or changed, and every message of the batch as stored. */
    record Stored(List<ConversationRow> opened, List<ConversationRow> updated, List<MessageRow> messages,
            Set<UUID> created) {
    }

    Mono<Void> record(List<EventEnvelope<MessageReceived>> batch) {
        return write(batch).flatMap(announce -> announce);
    }

    /**
     * Stores a batch (one transaction) and completes, after the commit, with the announcement of what it stored,
     * still to be made: the consumer announces it while it stores the next batch.
     */
    Mono<Mono<Void>> write(List<EventEnvelope<MessageReceived>> batch) {
        List<MessageReceived> messages = batch.stream()
                .filter(event -> {
                    boolean received = EventTypes.MESSAGE_RECEIVED.equals(event.type());
                    if (!received) {
                        log.debug("Ignoring {} {} on the inbound topic", event.type(), event.id());
                    }
                    return received;
                })
                .map(EventEnvelope::payload)
                .toList();
        if (messages.isEmpty()) {
            return Mono.just(Mono.empty());
        }
        return store(messages)
                .doOnNext(stored -> log.info("Stored {} inbound messages ({} already had); conversations: {} opened "
                        + "(or announced again), {} updated", stored.created().size(),
                        stored.messages().size() - stored.created().size(), stored.opened().size(),
                        stored.updated().size()))
                .doOnNext(stored -> metrics.stored(MessageDirection.INBOUND, stored.created().size()))
                .map(stored -> events.publish(stored.opened(), stored.messages(), stored.updated()));
    }

    /** One transaction for the batch; nothing is published here. */
    Mono<Stored> store(List<MessageReceived> batch) {
        // the same WhatsApp message twice in one batch is one message: the first copy counts
        Map<MessageKey, MessageReceived> unique = new LinkedHashMap<>();
        batch.forEach(message -> unique.putIfAbsent(MessageKey.of(message), message));
        List<MessageReceived> messages = List.copyOf(unique.values());
        List<Contact> contacts = messages.stream()
                .map(message -> new Contact(contactOf(message), message.contactName()))
                .toList();
        return conversations.openIds(contacts)
                .flatMap(opened -> insert(messages, opened)
                        // the rows of inbound files, committed with their messages (usually no statement)
                        .flatMap(created -> media.record(messages).thenReturn(created))
                        .flatMap(created -> touch(messages, opened, created)
                                .flatMap(touched -> loadExisting(messages, created)
                                        .flatMap(existing -> openedUntouched(opened, touched, existing)
                                                .map(untouched -> result(opened, touched, untouched,
                                                        inOrder(messages, created, existing), created))))))
                .as(transaction::transactional);
    }

    /** Inserts the messages no row has yet; answers the rows it inserted, by key, as the events announce them. */
    private Mono<Map<MessageKey, MessageRow>> insert(List<MessageReceived> messages,
            Map<ContactKey, Opened> opened) {
        int n = messages.size();
        UUID[] ids = new UUID[n];
        String[] tenants = new String[n];
        UUID[] conversationIds = new UUID[n];
        UUID[] sessions = new UUID[n];
        String[] types = new String[n];
        String[] texts = new String[n];
        String[] media = new String[n];
        String[] content = new String[n];
        String[] replyTo = new String[n];
        String[] waIds = new String[n];
        String[] timestamps = new String[n];
        Map<UUID, Integer> indexById = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            MessageReceived message = messages.get(i);
            ids[i] = Uuids.v7();
            indexById.put(ids[i], i);
            tenants[i] = message.tenantId();
            conversationIds[i] = opened.get(contactOf(message)).id();
            sessions[i] = message.sessionId();
            types[i] = message.type().value();
            texts[i] = message.text();
            media[i] = MessageParts.media(codec, message);
            content[i] = MessageParts.content(codec, message);
            replyTo[i] = MessageParts.replyTo(message);
            waIds[i] = message.waMessageId();
            timestamps[i] = message.timestamp().toString();
        }
        return db.sql("""
                INSERT INTO message.messages (id, tenant_id, conversation_id, session_id, direction, type, text, media,
                                              content, reply_to_wa_message_id, wa_message_id, status, wa_timestamp)
                SELECT u.id, u.tenant_id, u.conversation_id, u.session_id, 'inbound', u.type, u.text, u.media::jsonb,
                       u.content::jsonb, u.reply_to, u.wa_message_id, 'delivered', u.at::timestamptz
                  FROM unnest(:ids::uuid[], :tenants::text[], :conversations::uuid[], :sessions::uuid[],
                              :types::text[], :texts::text[], :media::text[], :content::text[], :replyTo::text[],
                              :waIds::text[], :timestamps::text[])
                       AS u(id, tenant_id, conversation_id, session_id, type, text, media, content, reply_to,
                            wa_message_id, at)
                ON CONFLICT (session_id, wa_message_id) WHERE wa_message_id IS NOT NULL DO NOTHING
                RETURNING id, created_at""")
                .bind("ids", ids)
                .bind("tenants", tenants)
                .bind("conversations", conversationIds)
                .bind("sessions", sessions)
                .bind("types", types)
                .bind("texts", texts)
                .bind("media", media)
                .bind("content", content)
                .bind("replyTo", replyTo)
                .bind("waIds", waIds)
                .bind("timestamps", timestamps)
                .map(row -> {
                    UUID id = row.get("id", UUID.class);
                    int i = indexById.get(id);
                    MessageReceived message = messages.get(i);
                    Instant createdAt = row.get("created_at", OffsetDateTime.class).toInstant();
                    Opened conversation = opened.get(contactOf(message));
                    return new MessageRow(id, message.tenantId(), conversation.id(), message.sessionId(),
                            message.waMessageId(), MessageDirection.INBOUND, message.type(), DeliveryStatus.DELIVERED,
                            message.from(), message.text(), media[i], null, message.timestamp(), createdAt, createdAt,
                            conversation.created());
                })
                .all()
                .collectMap(row -> new MessageKey(row.sessionId(), row.waMessageId()));
    }

    /** Moves each conversation by the messages this transaction inserted into it (and only those). */
    private Mono<List<ConversationRow>> touch(List<MessageReceived> messages, Map<ContactKey, Opened> opened,
            Map<MessageKey, MessageRow> created) {
        Map<UUID, Touch> touches = new LinkedHashMap<>();
        for (MessageReceived message : messages) {
            if (!created.containsKey(MessageKey.of(message))) {
                continue;
            }
            UUID conversationId = opened.get(contactOf(message)).id();
            Touch previous = touches.get(conversationId);
            boolean newest = previous == null || !message.timestamp().isBefore(previous.at());
            touches.put(conversationId, new Touch(conversationId, previous == null ? 1 : previous.unread() + 1,
                    newest ? message.timestamp() : previous.at(),
                    newest ? MessageParts.preview(message) : previous.preview(), true));
        }
        return conversations.touch(touches.values());
    }

    /**
     * The messages of the batch this transaction did not insert, as stored (a redelivery, a copy another batch
     * stored first); never another tenant's row. Usually none, and then no statement runs.
     */
    private Mono<List<MessageRow>> loadExisting(List<MessageReceived> messages, Map<MessageKey, MessageRow> created) {
        List<MessageReceived> others = messages.stream()
                .filter(message -> !created.containsKey(MessageKey.of(message)))
                .toList();
        if (others.isEmpty()) {
            return Mono.just(List.of());
        }
        int n = others.size();
        String[] tenants = new String[n];
        UUID[] sessions = new UUID[n];
        String[] waIds = new String[n];
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            tenants[i] = others.get(i).tenantId();
            sessions[i] = others.get(i).sessionId();
            waIds[i] = others.get(i).waMessageId();
            order[i] = i;
        }
        return db.sql(MessageRow.SELECT + """
                  JOIN unnest(:tenants::text[], :sessions::uuid[], :waIds::text[], :order::int[])
                       AS k(tenant_id, session_id, wa_message_id, ord)
                    ON m.session_id = k.session_id AND m.wa_message_id = k.wa_message_id
                   AND m.tenant_id = k.tenant_id
                 WHERE m.direction = 'inbound'
                 ORDER BY k.ord""")
                .bind("tenants", tenants)
                .bind("sessions", sessions)
                .bind("waIds", waIds)
                .bind("order", order)
                .map(MessageRow::from)
                .all()
                .collectList()
                .doOnNext(rows -> {
                    if (rows.size() < n) {
                        Set<MessageKey> found = new HashSet<>();
                        rows.forEach(row -> found.add(new MessageKey(row.sessionId(), row.waMessageId())));
                        others.stream().filter(message -> !found.contains(MessageKey.of(message)))
                                .forEach(message -> log.warn("Inbound {} from {} on session {} collides with a "
                                        + "message that is not this tenant's inbound message: not announced",
                                        message.waMessageId(), Pii.phone(message.from()), message.sessionId()));
                    }
                });
    }

    /** Every message of the batch as stored, in batch order: the rows inserted, then found. */
    private static List<MessageRow> inOrder(List<MessageReceived> messages, Map<MessageKey, MessageRow> created,
            List<MessageRow> existing) {
        Map<MessageKey, MessageRow> byKey = new HashMap<>(created);
        existing.forEach(row -> byKey.putIfAbsent(new MessageKey(row.sessionId(), row.waMessageId()), row));
        List<MessageRow> rows = new ArrayList<>(messages.size());
        for (MessageReceived message : messages) {
            MessageRow row = byKey.get(MessageKey.of(message));
            if (row != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * The state of the conversations whose {@code opened} event is due but that this transaction did not touch, so
     * their state is not at hand: opened now without a new message (theirs collided with stored ones), or opened by
     * the first delivery of a redelivered message (announced again). Usually none, and then no statement runs.
     */
    private Mono<List<ConversationRow>> openedUntouched(Map<ContactKey, Opened> opened,
            List<ConversationRow> touched, List<MessageRow> existing) {
        Set<UUID> touchedIds = new HashSet<>();
        touched.forEach(row -> touchedIds.add(row.id()));
        Set<UUID> missing = new java.util.LinkedHashSet<>();
        opened.values().stream().filter(Opened::created).map(Opened::id).forEach(missing::add);
        existing.stream().filter(MessageRow::openedItsConversation).map(MessageRow::conversationId)
                .forEach(missing::add);
        missing.removeAll(touchedIds);
        return conversations.load(missing);
    }

    private static Stored result(Map<ContactKey, Opened> opened, List<ConversationRow> touched,
            List<ConversationRow> untouched, List<MessageRow> rows, Map<MessageKey, MessageRow> created) {
        Map<UUID, ConversationRow> latest = new HashMap<>();
        untouched.forEach(row -> latest.put(row.id(), row));
        touched.forEach(row -> latest.put(row.id(), row));
        Set<UUID> createdIds = new HashSet<>();
        created.values().forEach(row -> createdIds.add(row.id()));
        Map<UUID, ConversationRow> newConversations = new LinkedHashMap<>();
        List<ConversationRow> changed = new ArrayList<>();
        for (Opened conversation : opened.values()) {
            if (conversation.created()) {
                newConversations.put(conversation.id(), latest.get(conversation.id()));
            }
        }
        for (ConversationRow row : touched) {
            if (!newConversations.containsKey(row.id())) {
                changed.add(row);
            }
        }
        // a redelivered message whose transaction opened its conversation: announce the opening again (same event
        // id), in case the first delivery committed but died before publishing
        for (MessageRow row : rows) {
            ConversationRow conversation = latest.get(row.conversationId());
            if (!createdIds.contains(row.id()) && row.openedItsConversation() && conversation != null) {
                newConversations.putIfAbsent(conversation.id(), conversation);
            }
        }
        return new Stored(List.copyOf(newConversations.values()), changed, rows, createdIds);
    }

    private static ContactKey contactOf(MessageReceived message) {
        return new ContactKey(message.tenantId(), message.sessionId(), message.from());
    }

    /** The dedup key of an inbound message. */
    record MessageKey(UUID sessionId, String waMessageId) {

        static MessageKey of(MessageReceived message) {
            return new MessageKey(message.sessionId(), message.waMessageId());
        }
    }
}
