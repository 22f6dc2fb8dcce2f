package dev.conversa.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.springframework.r2dbc.core.DatabaseClient;

/**
 * What the foreign key from {@code message.messages} to {@code message.conversations} used to guard, and more (V4
 * dropped the key for the ingest rate): every message belongs to a conversation of its own tenant and session.
 */
public final class MessageIntegrity {

    private MessageIntegrity() {
    }

    public static void assertEveryMessageInAConversationOfItsTenant(DatabaseClient db) {
        Long orphans = db.sql("""
                        SELECT count(*) AS orphans
                          FROM message.messages m
                         WHERE NOT EXISTS (SELECT 1 FROM message.conversations c
                                            WHERE c.id = m.conversation_id AND c.tenant_id = m.tenant_id
                                              AND c.session_id = m.session_id)""")
                .map(row -> row.get("orphans", Long.class))
                .one()
                .block(Duration.ofSeconds(10));
        assertThat(orphans).as("messages outside a conversation of their tenant and session").isZero();
    }
}
