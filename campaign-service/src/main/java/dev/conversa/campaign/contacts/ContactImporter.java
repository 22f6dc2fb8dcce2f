package dev.conversa.campaign.contacts;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.contact.ContactImportStatus;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.id.Uuids;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Imports one CSV upload while it streams in: the bytes go through an {@link ImportPipeline}; the header is
 * validated before anything is written (no phone column: 400, no job); then the job is created and each batch is
 * written in a transaction of its own that also adds its counters to the job, so the job always shows what is
 * committed. The answer is the finished job: {@code completed}, or {@code failed} with the line and reason when the
 * file could not be read to its end (the batches before it stay written and counted; nothing is silent). Progress
 * is visible meanwhile through {@code GET /api/v1/contacts/imports/{id}} and the import-progress events.
 *
 * <p>The stages overlap: the file is parsed in order on one thread at a time while up to
 * {@code prepare-concurrency} batches are normalised on the parallel scheduler ({@link ImportPipeline#prepare},
 * the libphonenumber work), their results are deduplicated in file order ({@link ImportPipeline#dedupe}) and up to
 * {@code write-concurrency} batches are written at once. Batches hold different numbers (deduplicated), so their
 * transactions never wait for each other except on the job's row, which each updates last.
 */
@Service
class ContactImporter {

    private static final Logger log = LoggerFactory.getLogger(ContactImporter.class);

    private final ImportRepository repository;
    private final ImportEvents events;
    private final PhoneNormalizer phones;
    private final TransactionalOperator transaction;
    private final ContactsProperties properties;
    private final Clock clock;

    ContactImporter(ImportRepository repository, ImportEvents events, PhoneNormalizer phones,
            TransactionalOperator transaction, ContactsProperties properties, Clock clock) {
        this.repository = repository;
        this.events = events;
        this.phones = phones;
        this.transaction = transaction;
        this.properties = properties;
        this.clock = clock;
    }

    /** The options of an import from the request's parameters (400 for an unknown region). */
    ImportPipeline.Options options(@Nullable String region, @Nullable String group) {
        String chosen = region == null || region.isBlank() ? properties.defaultRegion()
                : region.strip().toUpperCase(java.util.Locale.ROOT);
        if (!PhoneNormalizer.isRegion(chosen)) {
            throw ApiException.badRequest("defaultRegion must be a region code such as ES, MX or AR: " + region);
        }
        String label = group == null || group.isBlank() ? null : group.strip();
        if (label != null && (label.contains("|") || label.length() > 100)) {
            throw ApiException.badRequest("group must be at most 100 characters, without '|'");
        }
        return new ImportPipeline.Options(chosen, label, properties.maxFileSize().toBytes(), properties.maxColumns(),
                properties.maxFieldLength(), properties.batchSize());
    }

    Mono<ImportJob> importFile(ConversaPrincipal caller, @Nullable String fileName, Flux<DataBuffer> content,
            ImportPipeline.Options options) {
        ImportPipeline pipeline = new ImportPipeline(options, phones);
        Flux<Object> steps = content
                .concatMapIterable(buffer -> {
                    try {
                        List<Object> ready = new ArrayList<>();
                        try (DataBuffer.ByteBufferIterator chunks = buffer.readableByteBuffers()) {
                            while (chunks.hasNext()) {
                                ready.addAll(pipeline.feed(chunks.next()));
                            }
                        }
                        return ready;
                    }
                    finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                // before the header a failure is an error signal (nothing written, no job: 400 or 413); after it, it
                // is a step behind the rows read before it, so those are written first
                .concatWith(Flux.defer(() -> Flux.fromIterable(pipeline.finish())));
        return steps
                .switchOnFirst((first, all) -> {
                    if (!first.hasValue()) {
                        return all;
                    }
                    return repository.create(Uuids.v7(), caller.tenantId(), fileName, options.region(),
                                    caller.userId(), clock.instant())
                            .flatMapMany(job -> write(job, pipeline, all.skip(1)
                                    .onErrorResume(error -> Flux.just(error))));
                })
                .cast(ImportJob.class)
                .singleOrEmpty()
                .onErrorMap(ImportPipeline.TooLargeException.class, ContactImporter::tooLarge)
                .onErrorMap(CsvFormatException.class, error -> ApiException.badRequest(error.getMessage()));
    }

    static ApiException tooLarge(Throwable error) {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Payload too large",
                error.getMessage());
    }

    /**
     * Normalises, deduplicates and writes the steps after the header. A failure of the file (a step that is an
     * exception) ends the import after the batches before it are written; a failed write ends it at once.
     */
    private Mono<ImportJob> write(ImportJob created, ImportPipeline pipeline, Flux<Object> steps) {
        AtomicReference<@Nullable Throwable> fileFailure = new AtomicReference<>();
        long every = properties.progressEvery();
        log.info("Import {} of tenant {} started", created.id(), created.tenantId());
        Flux<ImportBatch> batches = steps
                .flatMapSequential(step -> step instanceof ImportPipeline.Rows rows
                        ? Mono.fromCallable(() -> pipeline.prepare(rows)).subscribeOn(Schedulers.parallel())
                        : Mono.just(step), properties.prepareConcurrency(), 1)
                .handle((step, sink) -> {
                    if (step instanceof ImportBatch batch) {
                        sink.next(pipeline.dedupe(batch));
                    }
                    else if (step instanceof Throwable error) {
                        fileFailure.set(error);
                        sink.complete();
                    }
                });
        return events.progress(created, clock.instant())
                .thenMany(batches.flatMap(batch -> repository.write(created, batch, clock.instant())
                        .as(transaction::transactional)
                        // the job as this commit left it (every batch committed so far): each multiple of
                        // progress-every is crossed by exactly one commit, whatever order the commits come in
                        .flatMap(job -> (job.rowsRead() - batch.rowsRead) / every < job.rowsRead() / every
                                ? events.progress(job, clock.instant()).thenReturn(job)
                                : Mono.just(job)), properties.writeConcurrency(), 1))
                .then(Mono.defer(() -> {
                    Throwable failure = fileFailure.get();
                    return failure == null ? finish(created, ContactImportStatus.COMPLETED, null)
                            : Mono.error(failure);
                }))
                .onErrorResume(error -> {
                    String reason = reason(error);
                    log.info("Import {} failed: {}", created.id(), reason);
                    Mono<ImportJob> failed = finish(created, ContactImportStatus.FAILED, reason);
                    return error instanceof ImportPipeline.TooLargeException
                            ? failed.flatMap(job -> Mono.error(tooLarge(error).with("importId", job.id()))) : failed;
                });
    }

    private Mono<ImportJob> finish(ImportJob job, ContactImportStatus status, @Nullable String error) {
        return repository.finish(job.id(), status, error, clock.instant())
                .flatMap(done -> {
                    log.info("Import {} {}: {} rows read, {} accepted, {} rejected, {} duplicates", done.id(),
                            done.status().value(), done.rowsRead(), done.accepted(), done.rejected(),
                            done.duplicates());
                    return events.finished(done, clock.instant()).thenReturn(done);
                });
    }

    private static String reason(Throwable error) {
        if (error instanceof CsvFormatException || error instanceof ImportPipeline.TooLargeException) {
            return error.getMessage();
        }
        if (error instanceof ApiException api) {
            return api.getMessage();
        }
        log.warn("Import stopped by an unexpected error", error);
        return "the import stopped on an internal error; the counters show what was written";
    }
}
