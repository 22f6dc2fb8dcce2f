package dev.conversa.session.sessions;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;
import io.r2dbc.postgresql.codec.Json;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * SQL of {@code session.sessions}. Every query a caller's request causes is scoped by {@code tenant_id}; the unscoped
 * {@link #findById(UUID)} is for the service's own components (lifecycle, transports), which act on a session id
 * they got from the system, not from a user.
 */
@Repository
public class SessionRepository {

    private static final String COLUMNS = """
            id, tenant_id, name, transport, status, phone_number, cloud_phone_number_id, connection_attempts,
            last_disconnect_reason_code, last_disconnect_reason, last_disconnect_at, messages_sent, messages_received,
            chats, last_activity_at, last_health_check_at, last_connected_at, device_metadata, created_at,
            updated_at, version""";

    /** When a session last showed life: its last message, else its last connection, else its creation. */
    static final String IDLE_SINCE = "COALESCE(GREATEST(last_activity_at, last_connected_at), created_at)";

    private final DatabaseClient db;

    SessionRepository(DatabaseClient db) {
        this.db = db;
    }

    /** The session, whatever its tenant; empty when it does not exist. */
    public Mono<Session> findById(UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM session.sessions WHERE id = :id")
                .bind("id", id)
                .map(SessionRepository::session)
                .one();
    }

    /**
     * Sessions an owner restores when it gets their partition: the ones that were live or on their way to be
     * (showing a QR, connecting, connected, waiting to reconnect). Pending, failed, logged-out, banned and inactive
     * sessions wait for an explicit restart.
     */
    public Flux<Session> restorable() {
        return db.sql("SELECT " + COLUMNS + " FROM session.sessions"
                        + " WHERE status IN ('qr_ready', 'connecting', 'connected', 'disconnected')")
                .map(SessionRepository::session)
                .all();
    }

    Mono<Session> findById(UUID id, String tenantId) {
        return db.sql("SELECT " + COLUMNS + " FROM session.sessions WHERE id = :id AND tenant_id = :tenantId")
                .bind("id", id)
                .bind("tenantId", tenantId)
                .map(SessionRepository::session)
                .one();
    }

    Mono<Session> insert(UUID id, String tenantId, String name, SessionTransport transport,
            @Nullable String cloudPhoneNumberId) {
        return db.sql("INSERT INTO session.sessions (id, tenant_id, name, transport, status, cloud_phone_number_id) "
                        + "VALUES (:id, :tenantId, :name, :transport, :status, :cloudPhoneNumberId) RETURNING "
                        + COLUMNS)
                .bind("id", id)
                .bind("tenantId", tenantId)
                .bind("name", name)
                .bind("transport", transport.value())
                .bind("status", SessionStatus.PENDING.value())
                .bind("cloudPhoneNumberId", Parameters.in(R2dbcType.VARCHAR, cloudPhoneNumberId))
                .map(SessionRepository::session)
                .one();
    }

    /** A page of the tenant's sessions, newest first; {@code statuses} empty means every status. */
    Flux<Session> list(String tenantId, Collection<SessionStatus> statuses, long offset, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM session.sessions WHERE tenant_id = :tenantId"
                        + (statuses.isEmpty() ? "" : " AND status = ANY(:statuses)")
                        + " ORDER BY created_at DESC, id DESC LIMIT :limit OFFSET :offset")
                .bind("tenantId", tenantId)
                .bindValues(statuses.isEmpty() ? Map.of() : Map.of("statuses", values(statuses)))
                .bind("limit", limit)
                .bind("offset", offset)
                .map(SessionRepository::session)
                .all();
    }

    Mono<Long> count(String tenantId, Collection<SessionStatus> statuses) {
        return db.sql("SELECT count(*) AS n FROM session.sessions WHERE tenant_id = :tenantId"
                        + (statuses.isEmpty() ? "" : " AND status = ANY(:statuses)"))
                .bind("tenantId", tenantId)
                .bindValues(statuses.isEmpty() ? Map.of() : Map.of("statuses", values(statuses)))
                .map(row -> row.get("n", Long.class))
                .one();
    }

    /** Sessions with at least {@code minAttempts} connection attempts, or failed, or banned; most attempts first. */
    Flux<Session> problematic(String tenantId, int minAttempts, long offset, int limit) {
        return db.sql("SELECT " + COLUMNS + " FROM session.sessions WHERE tenant_id = :tenantId AND "
                        + PROBLEMATIC + " ORDER BY connection_attempts DESC, updated_at DESC, id DESC"
                        + " LIMIT :limit OFFSET :offset")
                .bind("tenantId", tenantId)
                .bind("minAttempts", minAttempts)
                .bind("limit", limit)
                .bind("offset", offset)
                .map(SessionRepository::session)
                .all();
    }

    Mono<Long> countProblematic(String tenantId, int minAttempts) {
        return db.sql("SELECT count(*) AS n FROM session.sessions WHERE tenant_id = :tenantId AND " + PROBLEMATIC)
                .bind("tenantId", tenantId)
                .bind("minAttempts", minAttempts)
                .map(row -> row.get("n", Long.class))
                .one();
    }

    private static final String PROBLEMATIC =
            "(connection_attempts >= :minAttempts OR status IN ('failed', 'banned'))";

    /** Per status of the tenant: how many sessions, and their messages sent and received. */
    Flux<StatusTotals> totalsByStatus(String tenantId) {
        return db.sql("""
                        SELECT status, count(*) AS sessions, COALESCE(sum(messages_sent), 0)::bigint AS sent,
                               COALESCE(sum(messages_received), 0)::bigint AS received
                          FROM session.sessions WHERE tenant_id = :tenantId GROUP BY status""")
                .bind("tenantId", tenantId)
                .map(row -> new StatusTotals(SessionStatus.fromValue(row.get("status", String.class)),
                        row.get("sessions", Long.class), row.get("sent", Long.class),
                        row.get("received", Long.class)))
                .all();
    }

    record StatusTotals(SessionStatus status, long sessions, long messagesSent, long messagesReceived) {
    }

    /** Sessions of every tenant per status (statuses without sessions are absent). */
    Flux<Map.Entry<SessionStatus, Long>> countByStatus() {
        return db.sql("SELECT status, count(*) AS sessions FROM session.sessions GROUP BY status")
                .map(row -> Map.entry(SessionStatus.fromValue(row.get("status", String.class)),
                        row.get("sessions", Long.class)))
                .all();
    }

    /**
     * Writes a status change computed from {@code current}, only if nobody changed the session since it was read
     * ({@code version}); empty when somebody did.
     */
    Mono<Session> applyTransition(Session current, SessionStatus to, int attempts, @Nullable Integer reasonCode,
            @Nullable String reason, @Nullable Instant disconnectAt, @Nullable Instant connectedAt) {
        return db.sql("UPDATE session.sessions SET status = :status, connection_attempts = :attempts,"
                        + " last_disconnect_reason_code = :code, last_disconnect_reason = :reason,"
                        + " last_disconnect_at = :disconnectAt, last_connected_at = :connectedAt,"
                        + " updated_at = now(), version = version + 1"
                        + " WHERE id = :id AND version = :version RETURNING " + COLUMNS)
                .bind("status", to.value())
                .bind("attempts", attempts)
                .bind("code", Parameters.in(R2dbcType.INTEGER, reasonCode))
                .bind("reason", Parameters.in(R2dbcType.VARCHAR, reason))
                .bind("disconnectAt", Parameters.in(R2dbcType.TIMESTAMP_WITH_TIME_ZONE, utc(disconnectAt)))
                .bind("connectedAt", Parameters.in(R2dbcType.TIMESTAMP_WITH_TIME_ZONE, utc(connectedAt)))
                .bind("id", current.id())
                .bind("version", current.version())
                .map(SessionRepository::session)
                .one();
    }

    /** Sets the connection attempts to 0 (a version change, so a concurrent transition re-reads them). */
    Mono<Session> resetAttempts(UUID id, String tenantId) {
        return db.sql("UPDATE session.sessions SET connection_attempts = 0, updated_at = now(), version = version + 1"
                        + " WHERE id = :id AND tenant_id = :tenantId RETURNING " + COLUMNS)
                .bind("id", id)
                .bind("tenantId", tenantId)
                .map(SessionRepository::session)
                .one();
    }

    /** Deletes the session (its auth state and idempotency keys go with it); false when it was not there. */
    Mono<Boolean> delete(UUID id, String tenantId) {
        return db.sql("DELETE FROM session.sessions WHERE id = :id AND tenant_id = :tenantId")
                .bind("id", id)
                .bind("tenantId", tenantId)
                .fetch().rowsUpdated()
                .map(deleted -> deleted > 0);
    }

    Mono<Boolean> addActivity(UUID id, long sent, long received, Instant at) {
        return db.sql("UPDATE session.sessions SET messages_sent = messages_sent + :sent,"
                        + " messages_received = messages_received + :received,"
                        + " last_activity_at = GREATEST(last_activity_at, :at), updated_at = now() WHERE id = :id")
                .bind("sent", sent)
                .bind("received", received)
                .bind("at", utc(at))
                .bind("id", id)
                .fetch().rowsUpdated()
                .map(updated -> updated > 0);
    }

    Mono<Boolean> updateDevice(UUID id, @Nullable String phoneNumber, @Nullable String metadataJson) {
        return db.sql("UPDATE session.sessions SET phone_number = COALESCE(:phone, phone_number),"
                        + " device_metadata = COALESCE(CAST(:metadata AS jsonb), device_metadata), updated_at = now()"
                        + " WHERE id = :id")
                .bind("phone", Parameters.in(R2dbcType.VARCHAR, phoneNumber))
                .bind("metadata", Parameters.in(R2dbcType.VARCHAR, metadataJson))
                .bind("id", id)
                .fetch().rowsUpdated()
                .map(updated -> updated > 0);
    }

    Mono<Boolean> updateChats(UUID id, long chats) {
        return db.sql("UPDATE session.sessions SET chats = :chats, updated_at = now() WHERE id = :id")
                .bind("chats", chats)
                .bind("id", id)
                .fetch().rowsUpdated()
                .map(updated -> updated > 0);
    }

    Mono<Boolean> updateHealthCheck(UUID id, Instant at) {
        return db.sql("UPDATE session.sessions SET last_health_check_at = :at WHERE id = :id")
                .bind("at", utc(at))
                .bind("id", id)
                .fetch().rowsUpdated()
                .map(updated -> updated > 0);
    }

    /**
     * Sessions that are neither connected nor already inactive and showed no life since {@code cutoff}; of one
     * tenant, or of all when {@code tenantId} is null.
     */
    Flux<UUID> idleSince(@Nullable String tenantId, Instant cutoff) {
        return db.sql("SELECT id FROM session.sessions WHERE status NOT IN ('connected', 'inactive') AND "
                        + IDLE_SINCE + " < :cutoff" + (tenantId == null ? "" : " AND tenant_id = :tenantId")
                        + " ORDER BY id")
                .bind("cutoff", utc(cutoff))
                .bindValues(tenantId == null ? Map.of() : Map.of("tenantId", tenantId))
                .map(row -> row.get("id", UUID.class))
                .all();
    }

    private static String[] values(Collection<SessionStatus> statuses) {
        return statuses.stream().map(SessionStatus::value).toArray(String[]::new);
    }

    private static @Nullable OffsetDateTime utc(@Nullable Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static @Nullable Instant instant(Readable row, String column) {
        OffsetDateTime value = row.get(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Session session(Readable row) {
        Json metadata = row.get("device_metadata", Json.class);
        return new Session(
                row.get("id", UUID.class),
                row.get("tenant_id", String.class),
                row.get("name", String.class),
                SessionTransport.fromValue(row.get("transport", String.class)),
                SessionStatus.fromValue(row.get("status", String.class)),
                row.get("phone_number", String.class),
                row.get("cloud_phone_number_id", String.class),
                row.get("connection_attempts", Integer.class),
                row.get("last_disconnect_reason_code", Integer.class),
                row.get("last_disconnect_reason", String.class),
                instant(row, "last_disconnect_at"),
                row.get("messages_sent", Long.class),
                row.get("messages_received", Long.class),
                row.get("chats", Long.class),
                instant(row, "last_activity_at"),
                instant(row, "last_health_check_at"),
                instant(row, "last_connected_at"),
                metadata == null ? null : metadata.asString(),
                instant(row, "created_at"),
                instant(row, "updated_at"),
                row.get("version", Long.class));
    }
}
