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

/**
 * Imports one CSV upload while it streams in: the bytes go through an {@link ImportPipeline}; the header is
 * validated before anything is written (no phone column: 400, no job); then the job is created and each batch is
 * written in a transaction of its own that also adds its counters to the job, so the job always shows what is
 * committed. The answer is the finished job: {@code completed}, or {@code failed} with the line and reason when the
 * file could not be read to its end (the batches before it stay written and counted; nothing is silent). Progress
 * is visible meanwhile through {@code GET /api/v1/contacts/imports/{id}} and the import-progress events.
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
                .concatWith(Flux.defer(() -> Flux.fromIterable(pipeline.finish())))
                .handle((step, sink) -> {
                    if (step instanceof RuntimeException error) {
                        sink.error(error);
                    }
                    else {
                        sink.next(step);
                    }
                });
        return steps
                .switchOnFirst((first, all) -> {
                    if (!first.hasValue()) {
                        return all;
                    }
                    return repository.create(Uuids.v7(), caller.tenantId(), fileName, options.region(),
                                    caller.userId(), clock.instant())
                            .flatMapMany(job -> write(job, all.skip(1)));
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

    private Mono<ImportJob> write(ImportJob created, Flux<Object> batches) {
        AtomicReference<ImportJob> current = new AtomicReference<>(created);
        long every = properties.progressEvery();
        log.info("Import {} of tenant {} started", created.id(), created.tenantId());
        return events.progress(created, clock.instant())
                .thenMany(batches.cast(ImportBatch.class)
                        .concatMapDelayError(batch -> {
                            long before = current.get().rowsRead();
                            return repository.write(current.get(), batch, clock.instant())
                                    .as(transaction::transactional)
                                    .doOnNext(current::set)
                                    .flatMap(job -> job.rowsRead() / every > before / every
                                            ? events.progress(job, clock.instant()).thenReturn(job)
                                            : Mono.just(job));
                        }, false, 2))
                .then(Mono.defer(() -> finish(current.get(), ContactImportStatus.COMPLETED, null)))
                .onErrorResume(error -> {
                    String reason = reason(error);
                    log.info("Import {} failed: {}", created.id(), reason);
                    Mono<ImportJob> failed = finish(current.get(), ContactImportStatus.FAILED, reason);
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
