package dev.conversa.session.outbound;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.web.id.Uuids;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * SQL of {@code session.outbound_messages}. Every state change is a conditional {@code UPDATE … WHERE state = …
 * RETURNING}, so two actors (the dispatcher and a late receipt, two instances during a hand-over, the sweeper) can
 * never both move the same row: the one whose update returns a row owns the change and announces it.
 */
@Repository
public class OutboundQueue {

    private static final String COLUMNS = """
            id, tenant_id, session_id, priority, command, state, delivery_status, attempts, not_before,
            wa_message_id, error_code, error_title, created_at, updated_at""";

    /** Receipts only move forward: sent → delivered → read; failed ends anything but read. */
    private static final String DELIVERY_ADVANCES = """
            (delivery_status IS NULL OR (delivery_status NOT IN ('read', 'failed') AND (:status = 'failed'
             OR array_position(ARRAY['sent', 'delivered', 'read'], :status)
                > array_position(ARRAY['sent', 'delivered', 'read'], delivery_status))))""";

    private final DatabaseClient db;
    private final JsonMapper json;

    OutboundQueue(DatabaseClient db, JsonMapper json) {
        this.db = db;
        this.json = json;
    }

    /** What became of one command of {@link #enqueueAll}. */
    enum Intake {
        /** written as a {@code queued} row by this call */
        QUEUED,
        /** an earlier delivery of the same command (session, {@code idempotencyKey}) already wrote its row */
        ALREADY_QUEUED,
        /** no session with this id belongs to the command's tenant: nothing written */
        UNKNOWN_SESSION
    }

    /**
     * Writes the commands as {@code queued} rows in one statement, in list order (the queue orders rows of one
     * statement by id, so the ids are handed out in list order: a recipient's sends keep their order). A command
     * whose session and {@code idempotencyKey} already have a row — an earlier delivery, or the same command twice in
     * the list — adds nothing; one for a session the tenant does not have is not written. Answers each command's
     * {@link Intake}, in list order. Errors with a data-integrity exception when a session is deleted while the
     * statement runs (a retry then finds it unknown).
     */
    Mono<List<Intake>> enqueueAll(List<SendMessageRequested> commands) {
        return commands.isEmpty() ? Mono.just(List.of()) : Mono.defer(() -> write(commands));
    }

    private Mono<List<Intake>> write(List<SendMessageRequested> commands) {
        int size = commands.size();
        UUID[] ids = new UUID[size];
        String[] tenants = new String[size];
        UUID[] sessions = new UUID[size];
        UUID[] messageIds = new UUID[size];
        String[] keys = new String[size];
        String[] correlations = new String[size];
        String[] recipients = new String[size];
        Integer[] priorities = new Integer[size];
        String[] commandJson = new String[size];
        String[] requested = new String[size];
        for (int i = 0; i < size; i++) {
            ids[i] = Uuids.v7();
        }
        // the rows share created_at (the statement's now()): the queue's order among them is the ids' order, which
        // must be the list's; PostgreSQL compares uuids as unsigned bytes
        Arrays.sort(ids, Comparator.comparing(UUID::getMostSignificantBits, Long::compareUnsigned)
                .thenComparing(UUID::getLeastSignificantBits, Long::compareUnsigned));
        for (int i = 0; i < size; i++) {
            SendMessageRequested command = commands.get(i);
            tenants[i] = command.tenantId();
            sessions[i] = command.sessionId();
            messageIds[i] = command.messageId();
            keys[i] = command.idempotencyKey();
            correlations[i] = command.correlationId();
            recipients[i] = command.to();
            priorities[i] = command.effectivePriority().ordinal();
            commandJson[i] = json.writeValueAsString(command);
            requested[i] = command.requestedAt().toString();
        }
        return db.sql("""
                WITH input AS (
                     SELECT * FROM unnest(:ids::uuid[], :tenants::text[], :sessions::uuid[], :messageIds::uuid[],
                                          :keys::text[], :correlations::text[], :recipients::text[],
                                          :priorities::smallint[], :commands::text[], :requested::timestamptz[])
                            WITH ORDINALITY AS u(id, tenant_id, session_id, message_id, idempotency_key,
                                                 correlation_id, recipient, priority, command, requested_at, n)),
                known AS (
                     SELECT i.* FROM input i
                       JOIN session.sessions s ON s.id = i.session_id AND s.tenant_id = i.tenant_id),
                written AS (
                     INSERT INTO session.outbound_messages (id, tenant_id, session_id, message_id, idempotency_key,
                                 correlation_id, recipient, priority, command, state, requested_at)
                     SELECT id, tenant_id, session_id, message_id, idempotency_key, correlation_id, recipient,
                            priority, command::jsonb, 'queued', requested_at
                       FROM known ORDER BY n
                     ON CONFLICT (session_id, idempotency_key) DO NOTHING
                     RETURNING id)
                SELECT i.n, w.id IS NOT NULL AS written, k.n IS NOT NULL AS known
                  FROM input i
                  LEFT JOIN written w ON w.id = i.id
                  LEFT JOIN known k ON k.n = i.n
                 ORDER BY i.n""")
                .bind("ids", ids)
                .bind("tenants", tenants)
                .bind("sessions", sessions)
                .bind("messageIds", messageIds)
                .bind("keys", keys)
                .bind("correlations", correlations)
                .bind("recipients", recipients)
                .bind("priorities", priorities)
                .bind("commands", commandJson)
                .bind("requested", requested)
                .map(row -> Boolean.TRUE.equals(row.get("written", Boolean.class)) ? Intake.QUEUED
                        : Boolean.TRUE.equals(row.get("known", Boolean.class)) ? Intake.ALREADY_QUEUED
                                : Intake.UNKNOWN_SESSION)
                .all()
                .collectList();
    }

    public Mono<OutboundMessage> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM session.outbound_messages WHERE id = :id")
                .bind("id", id)
                .map(this::message)
                .one();
    }

    Mono<OutboundMessage> findByWaMessageId(UUID sessionId, String waMessageId) {
        return db.sql("SELECT " + COLUMNS + " FROM session.outbound_messages"
                        + " WHERE session_id = :sessionId AND wa_message_id = :waMessageId")
                .bind("sessionId", sessionId)
                .bind("waMessageId", waMessageId)
                .map(this::message)
                .one();
    }

    /** The session's next due send: conversational before bulk, then oldest first. */
    Mono<OutboundMessage> next(UUID sessionId) {
        return db.sql("SELECT " + COLUMNS + " FROM session.outbound_messages"
                        + " WHERE session_id = :sessionId AND state = 'queued' AND not_before <= now()"
                        + " ORDER BY priority, created_at, id LIMIT 1")
                .bind("sessionId", sessionId)
                .map(this::message)
                .one();
    }

    /**
     * The head of the session's queue ({@link #next}) claimed in one statement: {@code queued → sending}, one more
     * attempt; empty when nothing is due. A row another transaction holds is skipped, never waited for.
     */
    Mono<OutboundMessage> claimNext(UUID sessionId) {
        return db.sql("UPDATE session.outbound_messages SET state = 'sending', attempts = attempts + 1,"
                        + " updated_at = now() WHERE id = (SELECT id FROM session.outbound_messages"
                        + " WHERE session_id = :sessionId AND state = 'queued' AND not_before <= now()"
                        + " ORDER BY priority, created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)"
                        + " AND state = 'queued' RETURNING " + COLUMNS)
                .bind("sessionId", sessionId)
                .map(this::message)
                .one();
    }

    /** {@code queued|sending → accepted} with WhatsApp's id; empty when it was already resolved. */
    Mono<OutboundMessage> accept(UUID id, String waMessageId) {
        return db.sql("UPDATE session.outbound_messages SET state = 'accepted', wa_message_id = :waMessageId,"
                        + " error_code = NULL, error_title = NULL, updated_at = now()"
                        + " WHERE id = :id AND state IN ('queued', 'sending') RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("waMessageId", waMessageId)
                .map(this::message)
                .one();
    }

    /** {@code queued|sending → failed}; empty when it was already resolved. */
    Mono<OutboundMessage> fail(UUID id, @Nullable Integer errorCode, String errorTitle, boolean retryable) {
        return db.sql("UPDATE session.outbound_messages SET state = 'failed', error_code = :code,"
                        + " error_title = :title, retryable = :retryable, updated_at = now()"
                        + " WHERE id = :id AND state IN ('queued', 'sending') RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("code", Parameters.in(R2dbcType.INTEGER, errorCode))
                .bind("title", errorTitle)
                .bind("retryable", retryable)
                .map(this::message)
                .one();
    }

    /** {@code sending → queued} again, due at {@code notBefore}; empty when it was resolved meanwhile. */
    Mono<OutboundMessage> requeue(UUID id, Instant notBefore, @Nullable Integer errorCode,
            @Nullable String errorTitle) {
        return db.sql("UPDATE session.outbound_messages SET state = 'queued', not_before = :notBefore,"
                        + " error_code = :code, error_title = :title, updated_at = now()"
                        + " WHERE id = :id AND state = 'sending' RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("notBefore", notBefore.atOffset(ZoneOffset.UTC))
                .bind("code", Parameters.in(R2dbcType.INTEGER, errorCode))
                .bind("title", Parameters.in(R2dbcType.VARCHAR, errorTitle))
                .map(this::message)
                .one();
    }

    /** Records a receipt if it moves the row's delivery status forward; empty when it does not. */
    Mono<OutboundMessage> advanceDelivery(UUID id, DeliveryStatus status) {
        return db.sql("UPDATE session.outbound_messages SET delivery_status = :status, updated_at = now()"
                        + " WHERE id = :id AND " + DELIVERY_ADVANCES + " RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("status", status.value())
                .map(this::message)
                .one();
    }

    /** Sends of the session handed to the transport before {@code before} that nothing answered yet. */
    Flux<OutboundMessage> unanswered(UUID sessionId, Instant before) {
        return db.sql("SELECT " + COLUMNS + " FROM session.outbound_messages"
                        + " WHERE session_id = :sessionId AND state = 'sending' AND updated_at < :before")
                .bind("sessionId", sessionId)
                .bind("before", before.atOffset(ZoneOffset.UTC))
                .map(this::message)
                .all();
    }

    /** Sessions with a queued send that is due now. */
    Flux<UUID> sessionsWithDueSends() {
        return db.sql("SELECT DISTINCT session_id FROM session.outbound_messages"
                        + " WHERE state = 'queued' AND not_before <= now()")
                .map(row -> row.get("session_id", UUID.class))
                .all();
    }

    /** Queued sends requested before {@code cutoff} fail as expired; answers the rows this call failed. */
    Flux<OutboundMessage> expireQueued(Instant cutoff) {
        return db.sql("UPDATE session.outbound_messages SET state = 'failed', error_title = :title,"
                        + " retryable = true, updated_at = now()"
                        + " WHERE state = 'queued' AND requested_at < :cutoff RETURNING " + COLUMNS)
                .bind("title", "expired in the queue before its session could send it")
                .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                .map(this::message)
                .all();
    }

    /** Sends unanswered since before {@code cutoff} fail as "outcome unknown"; answers the rows this call failed. */
    Flux<OutboundMessage> expireUnanswered(Instant cutoff) {
        return db.sql("UPDATE session.outbound_messages SET state = 'failed', error_title = :title,"
                        + " retryable = false, updated_at = now()"
                        + " WHERE state = 'sending' AND updated_at < :cutoff RETURNING " + COLUMNS)
                .bind("title", "outcome unknown: WhatsApp never answered; not sent again to avoid a duplicate")
                .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                .map(this::message)
                .all();
    }

    /** Deletes resolved rows created before {@code cutoff}. */
    Mono<Long> purge(Instant cutoff) {
        return db.sql("DELETE FROM session.outbound_messages WHERE state IN ('accepted', 'failed')"
                        + " AND created_at < :cutoff")
                .bind("cutoff", cutoff.atOffset(ZoneOffset.UTC))
                .fetch()
                .rowsUpdated();
    }

    private OutboundMessage message(Readable row) {
        String delivery = row.get("delivery_status", String.class);
        return new OutboundMessage(
                row.get("id", UUID.class),
                row.get("tenant_id", String.class),
                row.get("session_id", UUID.class),
                json.readValue(row.get("command", Json.class).asString(), SendMessageRequested.class),
                SendPriority.values()[row.get("priority", Short.class)],
                OutboundState.fromValue(row.get("state", String.class)),
                delivery == null ? null : DeliveryStatus.fromValue(delivery),
                row.get("attempts", Integer.class),
                instant(row, "not_before"),
                row.get("wa_message_id", String.class),
                row.get("error_code", Integer.class),
                row.get("error_title", String.class),
                instant(row, "created_at"),
                instant(row, "updated_at"));
    }

    private static Instant instant(Readable row, String column) {
        return row.get(column, OffsetDateTime.class).toInstant();
    }
}
