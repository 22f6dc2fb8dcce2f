package dev.conversa.campaign.contacts;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.r2dbc.core.DatabaseClient.GenericExecuteSpec;
import org.springframework.stereotype.Repository;

import dev.conversa.events.contact.ContactImportStatus;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code campaign.contact_imports} and {@code contact_import_rejections}, and the bulk upsert of imported contacts:
 * one {@code INSERT … SELECT FROM unnest(…) ON CONFLICT (tenant_id, phone) DO UPDATE} per batch. A merge keeps the
 * stored name when the row has none, adds the row's attributes over the stored ones, unions groups and tags (stored
 * ones first) and never touches the opt-out.
 */
@Repository
class ImportRepository {

    private static final String COLUMNS = """
            id, tenant_id, file_name, status, default_region, rows_read, accepted, rejected, duplicates, error,
            created_by, created_at, updated_at, finished_at""";

    private static final String UPSERT = """
            INSERT INTO campaign.contacts AS c (id, tenant_id, phone, name, attributes, groups, tags, created_at,
                   updated_at)
            SELECT r.id, :tenant, r.phone, r.name, r.attributes::jsonb, string_to_array(r.groups, '|'),
                   string_to_array(r.tags, '|'), :now, :now
              FROM unnest(:ids::uuid[], :phones::text[], :names::text[], :attributes::text[], :groups::text[],
                          :tags::text[]) AS r(id, phone, name, attributes, groups, tags)
            ON CONFLICT (tenant_id, phone) DO UPDATE
               SET name = coalesce(EXCLUDED.name, c.name),
                   attributes = c.attributes || EXCLUDED.attributes,
                   groups = ARRAY(SELECT g FROM unnest(c.groups || EXCLUDED.groups) WITH ORDINALITY AS u(g, n)
                                   GROUP BY g ORDER BY min(n)),
                   tags = ARRAY(SELECT t FROM unnest(c.tags || EXCLUDED.tags) WITH ORDINALITY AS u(t, n)
                                 GROUP BY t ORDER BY min(n)),
                   version = c.version + 1,
                   updated_at = EXCLUDED.updated_at""";

    private final DatabaseClient db;

    ImportRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<ImportJob> create(UUID id, String tenantId, @Nullable String fileName, String region, String createdBy,
            Instant now) {
        GenericExecuteSpec spec = db.sql("""
                INSERT INTO campaign.contact_imports (id, tenant_id, file_name, status, default_region, created_by,
                       created_at, updated_at)
                VALUES (:id, :tenant, :fileName, 'processing', :region, :createdBy, :now, :now)
                RETURNING\s""" + COLUMNS)
                .bind("id", id)
                .bind("tenant", tenantId)
                .bind("region", region)
                .bind("createdBy", createdBy)
                .bind("now", now);
        spec = fileName == null ? spec.bindNull("fileName", String.class) : spec.bind("fileName", fileName);
        return spec.map(ImportRepository::job).one();
    }

    /**
     * Writes a batch's contacts and rejections and adds its counters to the job; answers the job. Run it in a
     * transaction: its commit does not wait for the WAL flush ({@code synchronous_commit = off}, this transaction
     * only), because {@link #finish} (a normal commit) flushes the WAL up to itself, so every batch is durable before
     * the job is reported finished. A crash of the database before that may lose the last batches' commits, whole:
     * their contacts and their counters together, so the job still shows exactly what is stored.
     */
    Mono<ImportJob> write(ImportJob job, ImportBatch batch, Instant now) {
        Mono<Long> asyncCommit = db.sql("SET LOCAL synchronous_commit = off").fetch().rowsUpdated();
        Mono<Long> contacts = batch.contacts == 0 ? Mono.just(0L) : db.sql(UPSERT)
                .bind("tenant", job.tenantId())
                .bind("now", now)
                // each column as one array literal (see ImportBatch#arrayLiteral)
                .bind("ids", batch.arrayLiteral(batch.ids))
                .bind("phones", batch.arrayLiteral(batch.phones))
                .bind("names", batch.arrayLiteral(batch.names))
                .bind("attributes", batch.arrayLiteral(batch.attributes))
                .bind("groups", batch.arrayLiteral(batch.groups))
                .bind("tags", batch.arrayLiteral(batch.tags))
                .fetch().rowsUpdated();
        Mono<Long> rejections = batch.rejections == 0 ? Mono.just(0L) : db.sql("""
                INSERT INTO campaign.contact_import_rejections (import_id, line, reason)
                SELECT :id, r.line, r.reason FROM unnest(:lines::bigint[], :reasons::text[]) AS r(line, reason)
                ON CONFLICT (import_id, line) DO NOTHING""")
                .bind("id", job.id())
                .bind("lines", batch.lines())
                .bind("reasons", batch.reasons())
                .fetch().rowsUpdated();
        return asyncCommit.then(contacts).then(rejections).then(db.sql("""
                UPDATE campaign.contact_imports
                   SET rows_read = rows_read + :rows, accepted = accepted + :accepted,
                       rejected = rejected + :rejected, duplicates = duplicates + :duplicates, updated_at = :now
                 WHERE id = :id
                RETURNING\s""" + COLUMNS)
                .bind("id", job.id())
                .bind("rows", batch.rowsRead)
                .bind("accepted", (long) batch.contacts)
                .bind("rejected", (long) batch.rejections)
                .bind("duplicates", batch.duplicates)
                .bind("now", now)
                .map(ImportRepository::job)
                .one());
    }

    /** Ends a job: completed, or failed with {@code error}. */
    Mono<ImportJob> finish(UUID id, ContactImportStatus status, @Nullable String error, Instant now) {
        GenericExecuteSpec spec = db.sql("""
                UPDATE campaign.contact_imports
                   SET status = :status, error = :error, updated_at = :now, finished_at = :now
                 WHERE id = :id
                RETURNING\s""" + COLUMNS)
                .bind("id", id)
                .bind("status", status.value())
                .bind("now", now);
        spec = error == null ? spec.bindNull("error", String.class) : spec.bind("error", error);
        return spec.map(ImportRepository::job).one();
    }

    Mono<ImportJob> find(String tenantId, UUID id) {
        return db.sql("SELECT " + COLUMNS + " FROM campaign.contact_imports WHERE tenant_id = :tenant AND id = :id")
                .bind("tenant", tenantId)
                .bind("id", id)
                .map(ImportRepository::job)
                .one();
    }

    /** Rejections in line order after {@code afterLine}. */
    Flux<Rejection> rejections(UUID importId, long afterLine, int limit) {
        return db.sql("""
                SELECT line, reason FROM campaign.contact_import_rejections
                 WHERE import_id = :id AND line > :after ORDER BY line LIMIT :limit""")
                .bind("id", importId)
                .bind("after", afterLine)
                .bind("limit", limit)
                .map(row -> new Rejection(row.get("line", Long.class), row.get("reason", String.class)))
                .all();
    }

    /** A rejected line of a file and why. */
    record Rejection(long line, String reason) {
    }

    private static ImportJob job(Readable row) {
        return new ImportJob(row.get("id", UUID.class), row.get("tenant_id", String.class),
                row.get("file_name", String.class), ContactImportStatus.fromValue(row.get("status", String.class)),
                row.get("default_region", String.class), row.get("rows_read", Long.class),
                row.get("accepted", Long.class), row.get("rejected", Long.class), row.get("duplicates", Long.class),
                row.get("error", String.class), row.get("created_by", String.class),
                row.get("created_at", Instant.class), row.get("updated_at", Instant.class),
                row.get("finished_at", Instant.class));
    }
}
