package dev.conversa.message.conversations;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.testsupport.RealServers;
import dev.conversa.web.id.Uuids;

/** Seeds conversations and messages with SQL, the way the inbox stores them, for the API's tests. */
public final class InboxFixtures {

    private final RealServers servers;

    public InboxFixtures(RealServers servers) {
        this.servers = servers;
    }

    /** A conversation builder: tenant and session are required, everything else has a default. */
    public Conversation conversation(String tenant, UUID session) {
        return new Conversation(tenant, session);
    }

    /** Stores an inbound message ({@code delivered}) created at {@code at}; answers its id. */
    public UUID inbound(String tenant, UUID conversation, UUID session, String text, String waMessageId,
            Instant at) {
        return message(tenant, conversation, session, "inbound", "delivered", text, waMessageId, at);
    }

    public UUID message(String tenant, UUID conversation, UUID session, String direction, String status,
            @Nullable String text, @Nullable String waMessageId, Instant at) {
        UUID id = Uuids.v7();
        servers.database().update("""
                INSERT INTO message.messages (id, tenant_id, conversation_id, session_id, direction, type, text,
                                              wa_message_id, status, wa_timestamp, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'text', ?, ?, ?, ?, ?, ?)""",
                id, tenant, conversation, session, direction, text, waMessageId, status, utc(at), utc(at), utc(at));
        return id;
    }

    static OffsetDateTime utc(@Nullable Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    /** Fields of a conversation to seed. */
    public final class Conversation {

        private final String tenant;
        private final UUID session;
        private String phone = "+54911" + (10_000_000 + (int) (Math.random() * 89_999_999));
        private @Nullable String name = "Ana";
        private String status = "open";
        private @Nullable String assignee;
        private boolean bot = true;
        private int unread;
        private @Nullable Instant lastMessageAt = Instant.now();
        private @Nullable String preview = "hola";

        private Conversation(String tenant, UUID session) {
            this.tenant = tenant;
            this.session = session;
        }

        public Conversation phone(String value) {
            phone = value;
            return this;
        }

        public Conversation name(@Nullable String value) {
            name = value;
            return this;
        }

        public Conversation status(String value) {
            status = value;
            return this;
        }

        public Conversation assignee(@Nullable String value) {
            assignee = value;
            return this;
        }

        public Conversation bot(boolean value) {
            bot = value;
            return this;
        }

        public Conversation unread(int value) {
            unread = value;
            return this;
        }

        public Conversation lastMessageAt(@Nullable Instant value) {
            lastMessageAt = value;
            return this;
        }

        public Conversation preview(@Nullable String value) {
            preview = value;
            return this;
        }

        /** Inserts it; answers its id. */
        public UUID insert() {
            UUID id = Uuids.v7();
            servers.database().update("""
                    INSERT INTO message.conversations (id, tenant_id, session_id, contact_phone, contact_name, status,
                                                       assigned_agent_id, bot_enabled, unread_count, last_message_at,
                                                       last_message_preview)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                    id, tenant, session, phone, name, status, assignee, bot, unread, utc(lastMessageAt), preview);
            return id;
        }
    }
}
