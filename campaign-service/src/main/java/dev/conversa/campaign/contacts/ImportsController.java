package dev.conversa.campaign.contacts;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.FilePartEvent;
import org.springframework.http.codec.multipart.FormPartEvent;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code POST /api/v1/contacts/import} (multipart, part {@code file}) and the import jobs. The upload is read as
 * multipart events, so the file streams through the importer and is never stored whole, in memory or on disk.
 * {@code defaultRegion} and {@code group} come as query parameters or as form fields sent before the file part.
 * The answer (201, {@code Location} of the job) comes when the file is read to its end.
 */
@RestController
@RequestMapping(ContactsController.BASE)
class ImportsController {

    /** Multipart boundaries and the other parts on top of the file. */
    private static final long MULTIPART_OVERHEAD = 64 * 1024;

    private final ContactImporter importer;
    private final ImportRepository repository;
    private final ContactsProperties properties;

    ImportsController(ContactImporter importer, ImportRepository repository, ContactsProperties properties) {
        this.importer = importer;
        this.repository = repository;
        this.properties = properties;
    }

    @PostMapping(path = "/import", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize(ContactsController.MANAGERS)
    Mono<ResponseEntity<ImportJobResponse>> importCsv(@RequestBody Flux<PartEvent> parts,
            @RequestParam(required = false) @Nullable String defaultRegion,
            @RequestParam(required = false) @Nullable String group,
            @RequestHeader(name = HttpHeaders.CONTENT_LENGTH, required = false) @Nullable Long contentLength,
            ConversaPrincipal caller) {
        if (contentLength != null && contentLength > properties.maxFileSize().toBytes() + MULTIPART_OVERHEAD) {
            return Mono.error(ContactImporter.tooLarge(new IllegalArgumentException("the upload (" + contentLength
                    + " bytes) is larger than " + properties.maxFileSize().toBytes() + " bytes")));
        }
        Map<String, String> form = new HashMap<>();
        return parts.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    PartEvent event = first.get();
                    if (event == null) {
                        return Mono.<ImportJob>empty();
                    }
                    if (event instanceof FilePartEvent file && "file".equals(file.name())) {
                        ImportPipeline.Options options = importer.options(
                                defaultRegion != null ? defaultRegion : form.get("defaultRegion"),
                                group != null ? group : form.get("group"));
                        return importer.importFile(caller, file.filename(), events.map(PartEvent::content), options);
                    }
                    if (event instanceof FormPartEvent field) {
                        form.put(field.name(), field.value());
                    }
                    return events.doOnNext(ignored -> DataBufferUtils.release(ignored.content())).then(Mono.<ImportJob>empty());
                }))
                .next()
                .switchIfEmpty(Mono.error(() -> ApiException.badRequest("send the CSV as the multipart part 'file'")))
                .flatMap(job -> repository.rejections(job.id(), 0, properties.rejectionsPreview()).collectList()
                        .map(rejections -> ResponseEntity.status(HttpStatus.CREATED)
                                .location(URI.create(ContactsController.BASE + "/imports/" + job.id()))
                                .body(ImportJobResponse.of(job, rejections))));
    }

    @GetMapping("/imports/{id}")
    @PreAuthorize(ContactsController.READERS)
    Mono<ImportJobResponse> job(@PathVariable UUID id, ConversaPrincipal caller) {
        return repository.find(caller.tenantId(), id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("import", id)))
                .flatMap(job -> repository.rejections(job.id(), 0, properties.rejectionsPreview()).collectList()
                        .map(rejections -> ImportJobResponse.of(job, rejections)));
    }

    /** A page of rejections in line order; {@code nextCursor} null on the last. */
    record RejectionPage(List<ImportRepository.Rejection> items, @Nullable String nextCursor) {
    }

    @GetMapping("/imports/{id}/rejections")
    @PreAuthorize(ContactsController.READERS)
    Mono<RejectionPage> rejections(@PathVariable UUID id, @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false) @Nullable Integer size, ConversaPrincipal caller) {
        int limit = ContactService.pageSize(size, properties);
        long after = afterLine(cursor);
        return repository.find(caller.tenantId(), id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("import", id)))
                .flatMap(job -> repository.rejections(job.id(), after, limit + 1).collectList())
                .map(rows -> {
                    if (rows.size() <= limit) {
                        return new RejectionPage(rows, null);
                    }
                    List<ImportRepository.Rejection> page = rows.subList(0, limit);
                    return new RejectionPage(page, encode(page.getLast().line()));
                });
    }

    private static String encode(long line) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(("r1:" + line).getBytes(StandardCharsets.UTF_8));
    }

    private static long afterLine(@Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith("r1:")) {
                return Long.parseLong(text.substring(3));
            }
        }
        catch (IllegalArgumentException e) {
            // falls through
        }
        throw ApiException.badRequest("cursor is not valid for this listing; use the nextCursor of a previous page");
    }
}
