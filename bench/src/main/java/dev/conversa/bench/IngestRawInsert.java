package dev.conversa.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;

import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import io.r2dbc.postgresql.api.PostgresqlConnection;

import dev.conversa.events.message.MessageReceived;

/**
 * The raw batched-insert rate of the PostgreSQL the service writes to, measured the way the service inserts: through
 * R2DBC (r2dbc-postgresql, the service's driver), one connection, one {@code INSERT … SELECT … FROM unnest(…)} of
 * {@code batchSize} rows per statement (each its own transaction, as each of the service's batches is), the same
 * columns, casts and {@code ON CONFLICT (session_id, wa_message_id) DO NOTHING}, UUIDv7 ids. The table is a scratch
 * copy of {@code message.messages} ({@code CREATE TABLE … (LIKE message.messages INCLUDING ALL)}: the same columns,
 * generated {@code search} tsvector, defaults and indexes, GIN included; without the foreign key to conversations).
 * What it leaves out is everything else the service does per batch: the conversation upsert and update, reading the
 * rows back, and publishing the events.
 */
final class IngestRawInsert {

    static final String INSERT = """
            INSERT INTO bench_raw.messages (id, tenant_id, conversation_id, session_id, direction, type, text, media,
                                            content, reply_to_wa_message_id, wa_message_id, status, wa_timestamp)
            SELECT u.id, u.tenant_id, u.conversation_id, u.session_id, 'inbound', u.type, u.text, u.media::jsonb,
                   u.content::jsonb, u.reply_to, u.wa_message_id, 'delivered', u.at::timestamptz
              FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::text[], $10::text[], $11::text[])
                   AS u(id, tenant_id, conversation_id, session_id, type, text, media, content, reply_to,
                        wa_message_id, at)
            ON CONFLICT (session_id, wa_message_id) WHERE wa_message_id IS NOT NULL DO NOTHING""";

    private static final int WARMUP_BATCHES = 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    private IngestRawInsert() {
    }

    /** Creates the scratch table (needs {@code message.messages}: run after the service migrated), measures, drops it. */
    static Map<String, Object> measure(Connection jdbc, String database, int rows, int batchSize,
            IngestSettings settings) throws SQLException {
        try (Statement sql = jdbc.createStatement()) {
            sql.execute("DROP SCHEMA IF EXISTS bench_raw CASCADE");
            sql.execute("CREATE SCHEMA bench_raw");
            sql.execute("CREATE TABLE bench_raw.messages (LIKE message.messages INCLUDING ALL)");
        }
        PostgresqlConnectionFactory factory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration
                .builder().host("127.0.0.1").port(5432).database(database).username("postgres").build());
        PostgresqlConnection connection = factory.create().block();
        IngestEvents events = new IngestEvents(settings.conversations(), settings.sessions(), settings.tenants(), 11);
        UUID[] conversationIds = new UUID[settings.conversations()];
        for (int i = 0; i < conversationIds.length; i++) {
            conversationIds[i] = uuidV7();
        }
        try {
            for (int i = 0; i < WARMUP_BATCHES; i++) {
                insert(connection, events, conversationIds, batchSize);
            }
            try (Statement sql = jdbc.createStatement()) {
                sql.execute("TRUNCATE bench_raw.messages");
                sql.execute("CHECKPOINT");
            }
            long written = 0;
            long start = System.nanoTime();
            while (written < rows) {
                written += insert(connection, events, conversationIds, (int) Math.min(batchSize, rows - written));
            }
            long nanos = System.nanoTime() - start;
            Map<String, Object> map = Report.map();
            map.put("how", "R2DBC (r2dbc-postgresql), 1 connection, INSERT … SELECT … FROM unnest(11 arrays) "
                    + "… ON CONFLICT DO NOTHING, one statement and transaction per batch, into a LIKE message.messages "
                    + "INCLUDING ALL copy (same indexes incl. GIN search, no FK)");
            map.put("rows", written);
            map.put("batchSize", batchSize);
            map.put("seconds", Report.seconds(nanos));
            map.put("rowsPerSecond", Math.round(written / (nanos / 1e9)));
            map.put("msPerBatch", Report.round(nanos / 1e6 / Math.ceil(written / (double) batchSize), 2));
            return map;
        }
        finally {
            connection.close().block();
            try (Statement sql = jdbc.createStatement()) {
                sql.execute("DROP SCHEMA bench_raw CASCADE");
            }
        }
    }

    private static long insert(PostgresqlConnection connection, IngestEvents events, UUID[] conversationIds,
            int n) {
        UUID[] ids = new UUID[n];
        String[] tenants = new String[n];
        UUID[] conversations = new UUID[n];
        UUID[] sessions = new UUID[n];
        String[] types = new String[n];
        String[] texts = new String[n];
        String[] media = new String[n];
        String[] content = new String[n];
        String[] replyTo = new String[n];
        String[] waIds = new String[n];
        String[] timestamps = new String[n];
        for (int i = 0; i < n; i++) {
            MessageReceived message = events.next();
            ids[i] = uuidV7();
            tenants[i] = message.tenantId();
            conversations[i] = conversationIds[Math.floorMod(message.from().hashCode(), conversationIds.length)];
            sessions[i] = message.sessionId();
            types[i] = message.type().value();
            texts[i] = message.text();
            waIds[i] = message.waMessageId();
            timestamps[i] = message.timestamp().toString();
        }
        Long updated = connection.createStatement(INSERT)
                .bind("$1", ids).bind("$2", tenants).bind("$3", conversations).bind("$4", sessions)
                .bind("$5", types).bind("$6", texts).bind("$7", media).bind("$8", content).bind("$9", replyTo)
                .bind("$10", waIds).bind("$11", timestamps)
                .execute()
                .flatMap(result -> result.getRowsUpdated())
                .reduce(0L, Long::sum)
                .block();
        return updated == null ? 0 : updated;
    }

    /** A time-ordered UUID (version 7), as the service's ids are (B-tree inserts at the right edge). */
    static UUID uuidV7() {
        long millis = System.currentTimeMillis();
        long msb = (millis << 16) | 0x7000L | (RANDOM.nextInt() & 0x0FFFL);
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }
}
