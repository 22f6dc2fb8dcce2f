package dev.conversa.message.media;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/media}: upload a file (multipart, part {@code file}, optional fields {@code conversationId} and
 * {@code messageId}), read it back (tenant-scoped), or hand out a short-lived signed link to it. The upload is read
 * as a stream of part events, so the file goes to storage as it arrives and is never held whole in memory.
 */
@RestController
class MediaController {

    static final String FILE_PART = "file";

    private final MediaService media;

    MediaController(MediaService media) {
        this.media = media;
    }

    @PostMapping(path = "/api/v1/media", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'BOT', 'SERVICE')")
    Mono<ResponseEntity<MediaView>> upload(@RequestBody Flux<PartEvent> parts, ConversaPrincipal caller) {
        Map<String, String> fields = new ConcurrentHashMap<>();
        AtomicReference<MediaService.@Nullable StoredFile> stored = new AtomicReference<>();
        return parts.windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    PartEvent event = first.get();
                    if (event instanceof FilePartEvent file && FILE_PART.equals(file.name())) {
                        if (stored.get() != null) {
                            return Mono.error(ApiException.badRequest("Send one file per upload"));
                        }
                        String declared = file.headers().getContentType() == null ? null
                                : file.headers().getContentType().toString();
                        return media.store(caller.tenantId(), file.filename(), declared,
                                        events.map(PartEvent::content))
                                .doOnNext(stored::set)
                                .then();
                    }
                    if (event instanceof FormPartEvent field) {
                        fields.put(field.name(), field.value());
                    }
                    return events.doOnNext(e -> DataBufferUtils.release(e.content())).then();
                }))
                .then(Mono.defer(() -> {
                    MediaService.StoredFile file = stored.get();
                    return file == null ? Mono.error(ApiException.badRequest("The multipart body has no 'file' part"))
                            : media.record(caller, file, fields);
                }))
                .onErrorResume(error -> {
                    MediaService.StoredFile file = stored.get();
                    return (file == null ? Mono.<Void>empty() : media.discard(file)).then(Mono.error(error));
                })
                .map(view -> ResponseEntity.created(URI.create("/api/v1/media/" + view.id())).body(view));
    }

    @GetMapping("/api/v1/media/{id}")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'BOT', 'SERVICE')")
    Mono<ResponseEntity<Flux<DataBuffer>>> download(@PathVariable UUID id, ConversaPrincipal caller) {
        return media.find(caller, id).map(this::stream);
    }

    @GetMapping("/api/v1/media/{id}/link")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'BOT', 'SERVICE')")
    Mono<MediaLinks.SignedLink> link(@PathVariable UUID id, ConversaPrincipal caller) {
        return media.link(caller, id);
    }

    /** The target of a signed link: no token, the signature is the credential (see MediaSecurityConfiguration). */
    @GetMapping("/api/v1/media/{id}/content")
    Mono<ResponseEntity<Flux<DataBuffer>>> signedContent(@PathVariable UUID id, @RequestParam long expires,
            @RequestParam(required = false) @Nullable String signature) {
        return media.findSigned(id, expires, signature).map(this::stream);
    }

    private ResponseEntity<Flux<DataBuffer>> stream(MediaRecord record) {
        boolean inline = record.kind() != MediaKind.DOCUMENT;
        ContentDisposition.Builder disposition = inline ? ContentDisposition.inline() : ContentDisposition.attachment();
        String filename = record.filename() != null ? record.filename() : record.id().toString();
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(record.mimeType()))
                .contentLength(record.size())
                .header(HttpHeaders.CONTENT_DISPOSITION,
                        disposition.filename(filename, StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .header(HttpHeaders.ETAG, "\"" + record.sha256() + "\"")
                .cacheControl(CacheControl.noCache().cachePrivate())
                .body(media.content(record));
    }
}
