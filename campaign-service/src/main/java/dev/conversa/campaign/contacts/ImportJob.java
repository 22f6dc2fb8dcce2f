package dev.conversa.campaign.contacts;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.events.contact.ContactImportProgress;
import dev.conversa.events.contact.ContactImportStatus;

/** A row of {@code campaign.contact_imports}. */
record ImportJob(UUID id, String tenantId, @Nullable String fileName, ContactImportStatus status,
        String defaultRegion, long rowsRead, long accepted, long rejected, long duplicates, @Nullable String error,
        String createdBy, Instant createdAt, Instant updatedAt, @Nullable Instant finishedAt) {

    ContactImportProgress progress(Instant at) {
        return new ContactImportProgress(tenantId, id, status, rowsRead, accepted, rejected, duplicates, error, at);
    }
}
