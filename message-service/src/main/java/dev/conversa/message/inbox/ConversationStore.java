package dev.conversa.message.inbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.conversa.web.id.Uuids;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The conversation side of writing messages, a batch at a time, inside the caller's transaction: find or open the
 * conversations of a set of contacts in one statement, then move their last message, preview and unread count in
 * one more. Rows are locked in (tenant, session, phone) order, so concurrent batches cannot deadlock on them.
 */
@Component
public class ConversationStore {

    static final int PREVIEW_LENGTH = 120;

    private final DatabaseClient db;

    public ConversationStore(DatabaseClient db) {
        this.db = db;
    }

    /** A contact of a session of a tenant: one conversation each. */
    public record ContactKey(String tenantId, UUID sessionId, String phone) {
    }

    /** The conversation to find or open; {@code name} (the profile name) replaces the stored one when given. */
    public record Contact(ContactKey key, @Nullable String name) {
    }

    /**
     * What new messages do to a conversation.
     *
     * @param unread  inbound messages added (0 for outbound)
     * @param at      the newest message's time
     * @param preview the newest message's preview
     * @param reopen  whether a closed conversation opens again (a contact wrote)
     */
    public record Touch(UUID conversationId, int unread, Instant at, String preview, boolean reopen) {
    }

    /**
     * Finds or opens the conversation of each contact (one row per key; when a key repeats, the last non-null name
     * wins). {@link ConversationRow#created()} tells which ones this statement opened.
     */
    public Mono<Map<ContactKey, ConversationRow>> open(Collection<Contact> contacts) {
        return upsert(contacts, ConversationRow.COLUMNS,
                row -> ConversationRow.from(row, Boolean.TRUE.equals(row.get("created", Boolean.class))))
                .collectMap(row -> new ContactKey(row.tenantId(), row.sessionId(), row.contactPhone()));
    }

    /** The find-or-open statement, returning {@code columns} and {@code created} of each conversation. */
    private <T> Flux<T> upsert(Collection<Contact> contacts, String columns, Function<Readable, T> reader) {
        Map<ContactKey, String> names = names(contacts);
        return names.isEmpty() ? Flux.empty() : upsert(names, columns, reader);
    }

    /** Each key once, with the last non-null name given for it. */
    private static Map<ContactKey, String> names(Collection<Contact> contacts) {
        Map<ContactKey, String> names = new LinkedHashMap<>();
        for (Contact contact : contacts) {
            if (contact.name() != null || !names.containsKey(contact.key())) {
                names.put(contact.key(), contact.name() != null ? contact.name() : names.get(contact.key()));
            }
        }
        return names;
    }

    private <T> Flux<T> upsert(Map<ContactKey, String> names, String columns, Function<Readable, T> reader) {
        return bindContacts(db.sql("""
                INSERT INTO message.conversations (id, tenant_id, session_id, contact_phone, contact_name)
                SELECT u.id, u.tenant_id, u.session_id, u.phone, u.name
                  FROM unnest(:ids::uuid[], :tenants::text[], :sessions::uuid[], :phones::text[], :names::text[])
                       AS u(id, tenant_id, session_id, phone, name)
                 ORDER BY u.tenant_id, u.session_id, u.phone
                ON CONFLICT (tenant_id, session_id, contact_phone)
                DO UPDATE SET contact_name = COALESCE(EXCLUDED.contact_name, conversations.contact_name)
                RETURNING %s, (xmax = 0) AS created""".formatted(columns)), names)
                .map(reader::apply)
                .all();
    }

    /**
     * Binds {@code :ids} (a new id per contact, used if the statement opens its conversation), {@code :tenants},
     * {@code :sessions}, {@code :phones} and {@code :names}, the contacts sorted by key: rows are locked in that order.
     */
    private static DatabaseClient.GenericExecuteSpec bindContacts(DatabaseClient.GenericExecuteSpec statement,
            Map<ContactKey, String> names) {
        List<ContactKey> keys = new ArrayList<>(names.keySet());
        keys.sort(Comparator.comparing(ContactKey::tenantId).thenComparing(ContactKey::sessionId)
                .thenComparing(ContactKey::phone));
        int n = keys.size();
        UUID[] ids = new UUID[n];
        String[] tenants = new String[n];
        UUID[] sessions = new UUID[n];
        String[] phones = new String[n];
        String[] contactNames = new String[n];
        for (int i = 0; i < n; i++) {
            ContactKey key = keys.get(i);
            ids[i] = Uuids.v7();
            tenants[i] = key.tenantId();
            sessions[i] = key.sessionId();
            phones[i] = key.phone();
            contactNames[i] = names.get(key);
        }
        return statement
                .bind("ids", ids)
                .bind("tenants", tenants)
                .bind("sessions", sessions)
                .bind("phones", phones)
                .bind("names", contactNames);
    }

    /** A conversation found or opened by {@link #openIds}: its id, and whether that statement opened it. */
    public record Opened(UUID id, boolean created) {
    }

    /**
     * Like {@link #open}, answering only each conversation's id and whether this statement opened it: for a caller
     * that {@link #touch touches} the conversations next (and has their state from that), so the upsert returns
     * four short columns per conversation instead of the whole row. A conversation that exists with the same name is
     * locked but not rewritten (the touch that follows writes it once): the statement returns it from a join instead.
     */
    public Mono<Map<ContactKey, Opened>> openIds(Collection<Contact> contacts) {
        Map<ContactKey, String> names = names(contacts);
        if (names.isEmpty()) {
            return Mono.just(Map.of());
        }
        return bindContacts(db.sql("""
                WITH input AS (
                    SELECT * FROM unnest(:ids::uuid[], :tenants::text[], :sessions::uuid[], :phones::text[],
                                         :names::text[]) AS u(id, tenant_id, session_id, phone, name)),
                upserted AS (
                    INSERT INTO message.conversations (id, tenant_id, session_id, contact_phone, contact_name)
                    SELECT i.id, i.tenant_id, i.session_id, i.phone, i.name
                      FROM input i
                     ORDER BY i.tenant_id, i.session_id, i.phone
                    ON CONFLICT (tenant_id, session_id, contact_phone)
                    DO UPDATE SET contact_name = EXCLUDED.contact_name
                     WHERE EXCLUDED.contact_name IS NOT NULL
                       AND EXCLUDED.contact_name IS DISTINCT FROM conversations.contact_name
                    RETURNING id, tenant_id, session_id, contact_phone, (xmax = 0) AS created)
                SELECT id, tenant_id, session_id, contact_phone, created FROM upserted
                UNION ALL
                SELECT c.id, c.tenant_id, c.session_id, c.contact_phone, false
                  FROM input i
                  JOIN message.conversations c
                    ON c.tenant_id = i.tenant_id AND c.session_id = i.session_id AND c.contact_phone = i.phone
                 WHERE NOT EXISTS (SELECT 1 FROM upserted x
                                    WHERE x.tenant_id = i.tenant_id AND x.session_id = i.session_id
                                      AND x.contact_phone = i.phone)"""), names)
                .map(ConversationStore::opened)
                .all()
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .flatMap(found -> found.size() == names.size() ? Mono.just(found) : withMissing(names, found));
    }

    /**
     * The conversations the statement locked but could not return: opened by a transaction that committed after the
     * statement's snapshot was taken (a concurrent writer of the same contact). They are locked by now, so the
     * plain upsert returns them.
     */
    private Mono<Map<ContactKey, Opened>> withMissing(Map<ContactKey, String> names, Map<ContactKey, Opened> found) {
        Map<ContactKey, String> missing = new LinkedHashMap<>(names);
        missing.keySet().removeAll(found.keySet());
        return upsert(missing, "id, tenant_id, session_id, contact_phone", ConversationStore::opened)
                .collectMap(Map.Entry::getKey, Map.Entry::getValue)
                .map(more -> {
                    Map<ContactKey, Opened> all = new LinkedHashMap<>(found);
                    all.putAll(more);
                    return all;
                });
    }

    private static Map.Entry<ContactKey, Opened> opened(Readable row) {
        return Map.entry(new ContactKey(row.get("tenant_id", String.class), row.get("session_id", UUID.class),
                row.get("contact_phone", String.class)), new Opened(row.get("id", UUID.class),
                Boolean.TRUE.equals(row.get("created", Boolean.class))));
    }

    /**
     * Applies new messages to their conversations (one touch per conversation), bumping their version: unread
     * count up, last message time to the newest, the preview only when the message is not older than the last one.
     */
    public Mono<List<ConversationRow>> touch(Collection<Touch> touches) {
        if (touches.isEmpty()) {
            return Mono.just(List.of());
        }
        int n = touches.size();
        UUID[] ids = new UUID[n];
        Integer[] unread = new Integer[n];
        String[] ats = new String[n];
        String[] previews = new String[n];
        Boolean[] reopen = new Boolean[n];
        int i = 0;
        for (Touch touch : touches) {
            ids[i] = touch.conversationId();
            unread[i] = touch.unread();
            ats[i] = touch.at().toString();
            previews[i] = touch.preview();
            reopen[i] = touch.reopen();
            i++;
        }
        return db.sql("""
                UPDATE message.conversations c
                   SET unread_count = c.unread_count + u.unread,
                       last_message_at = GREATEST(c.last_message_at, u.at),
                       last_message_preview = CASE WHEN c.last_message_at IS NULL OR u.at >= c.last_message_at
                                                   THEN u.preview ELSE c.last_message_preview END,
                       status = CASE WHEN u.reopen AND c.status = 'closed' THEN 'open' ELSE c.status END,
                       version = c.version + 1,
                       updated_at = now()
                  FROM (SELECT t.id, t.unread, t.at::timestamptz AS at, t.preview, t.reopen
                          FROM unnest(:ids::uuid[], :unread::int[], :ats::text[], :previews::text[], :reopen::bool[])
                               AS t(id, unread, at, preview, reopen)) u
                 WHERE c.id = u.id
                RETURNING %s""".formatted(ConversationRow.qualified("c")))
                .bind("ids", ids)
                .bind("unread", unread)
                .bind("ats", ats)
                .bind("previews", previews)
                .bind("reopen", reopen)
                .map(row -> ConversationRow.from(row, false))
                .all()
                .collectList();
    }

    /** The conversations with these ids, in one tenant-agnostic read (the ids come from rows just written). */
    public Mono<List<ConversationRow>> load(Collection<UUID> ids) {
        if (ids.isEmpty()) {
            return Mono.just(List.of());
        }
        return db.sql("SELECT %s FROM message.conversations WHERE id = ANY(:ids::uuid[])"
                        .formatted(ConversationRow.COLUMNS))
                .bind("ids", ids.toArray(UUID[]::new))
                .map(row -> ConversationRow.from(row, false))
                .all()
                .collectList();
    }

    /** At most {@value #PREVIEW_LENGTH} characters of {@code text}, for inbox lists. */
    public static String preview(String text) {
        return text.length() <= PREVIEW_LENGTH ? text : text.substring(0, PREVIEW_LENGTH);
    }
}
