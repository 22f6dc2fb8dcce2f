package dev.conversa.campaign.contacts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * An import job as the API shows it: counters, the first rejections (line and reason) and links to itself and to
 * all its rejections.
 */
record ImportJobResponse(UUID id, String status, @Nullable String fileName, String defaultRegion, long rowsRead,
        long accepted, long rejected, long duplicates, @Nullable String error, Instant createdAt, Instant updatedAt,
        @Nullable Instant finishedAt, List<ImportRepository.Rejection> rejections, Links links) {

    record Links(String self, String rejections) {
    }

    static ImportJobResponse of(ImportJob job, List<ImportRepository.Rejection> rejections) {
        String self = ContactsController.BASE + "/imports/" + job.id();
        return new ImportJobResponse(job.id(), job.status().value(), job.fileName(), job.defaultRegion(),
                job.rowsRead(), job.accepted(), job.rejected(), job.duplicates(), job.error(), job.createdAt(),
                job.updatedAt(), job.finishedAt(), rejections, new Links(self, self + "/rejections"));
    }
}
