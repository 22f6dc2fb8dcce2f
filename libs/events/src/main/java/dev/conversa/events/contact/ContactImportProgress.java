package dev.conversa.events.contact;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Payload of {@code conversa.contact.import-progress.v1} (every N rows while a CSV import runs) and
 * {@code conversa.contact.import-finished.v1} (once, when it completed or failed). Counters are totals so far, not
 * deltas, so a consumer that missed an event loses nothing by reading the next one.
 *
 * @param tenantId   the tenant
 * @param importId   the import job; also the record key
 * @param status     processing, completed or failed
 * @param rowsRead   data rows read from the file so far (the header is not a row)
 * @param accepted   rows written as contacts (inserted or merged into an existing one)
 * @param rejected   rows refused (invalid phone number, field too long …), each with its line and reason
 * @param duplicates rows whose phone number an earlier row of the same file already had
 * @param error      why the import failed (with the line), for status failed; otherwise null
 * @param occurredAt when the counters were taken
 */
public record ContactImportProgress(
        String tenantId,
        UUID importId,
        ContactImportStatus status,
        long rowsRead,
        long accepted,
        long rejected,
        long duplicates,
        @Nullable String error,
        Instant occurredAt) {

    public ContactImportProgress {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(importId, "importId");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(occurredAt, "occurredAt");
    }
}
