package dev.conversa.message.media;

import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpStatus;

import dev.conversa.media.storage.MediaKeys;
import dev.conversa.media.storage.MediaStorage;
import dev.conversa.message.conversations.ConversationRepository;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.id.Uuids;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Uploads and downloads of media files. An upload streams through {@link InspectedContent} into the storage
 * ({@code <tenant>/<id>}): nothing reaches the storage before the first bytes proved an accepted type, and a file
 * over its kind's limit fails mid-stream and leaves nothing. Then the optional clamd scan reads it back (infected →
 * deleted, 422), and only then is the {@code message.media} row written — so a row always has its bytes.
 */
class MediaService {

    private static final Logger log = LoggerFactory.getLogger(MediaService.class);

    private final MediaStorage storage;
    private final MediaRepository repository;
    private final ConversationRepository conversations;
    private final MediaTypeRules rules;
    private final MediaProperties properties;
    private final @Nullable ClamdScanner scanner;
    private final MediaLinks links;
    private final Clock clock;

    MediaService(MediaStorage storage, MediaRepository repository, ConversationRepository conversations,
            MediaTypeRules rules, MediaProperties properties, @Nullable ClamdScanner scanner, MediaLinks links,
            Clock clock) {
        this.storage = storage;
        this.repository = repository;
        this.conversations = conversations;
        this.rules = rules;
        this.properties = properties;
        this.scanner = scanner;
        this.links = links;
        this.clock = clock;
    }

    /** Streams one file to the storage, checked and scanned; the caller records or discards it. */
    Mono<StoredFile> store(String tenantId, @Nullable String filename, @Nullable String declaredType,
            Flux<DataBuffer> content) {
        UUID id = Uuids.v7();
        String key = MediaKeys.of(tenantId, id);
        InspectedContent inspected = new InspectedContent(rules, properties.limits(), filename, declaredType);
        // the put starts with the first buffer the inspection lets through: by then the type is known and allowed
        Mono<Long> stored = inspected.inspect(content)
                .switchOnFirst((first, checked) -> {
                    if (first.isOnError()) {
                        return Mono.<Long>error(first.getThrowable());
                    }
                    return storage.put(key, checked, inspected.verdict().mimeType());
                })
                .single();
        return stored.flatMap(size -> scan(key))
                .map(scanResult -> new StoredFile(id, key, inspected.verdict(), inspected.size(), inspected.sha256(),
                        cleanName(filename), scanResult));
    }

    private Mono<String> scan(String key) {
        if (scanner == null) {
            return Mono.just("not-scanned");
        }
        return scanner.scan(storage.get(key))
                .onErrorResume(error -> Mono.just(new ClamdProtocol.Outcome(ClamdProtocol.Verdict.ERROR,
                        error.getClass().getSimpleName())))
                .flatMap(outcome -> switch (outcome.verdict()) {
                    case CLEAN -> Mono.just("clean");
                    case INFECTED -> {
                        log.warn("clamd found {} in {}: deleted", outcome.detail(), key);
                        yield storage.delete(key).then(Mono.error(MediaRejectedException.infected(
                                String.valueOf(outcome.detail()))));
                    }
                    case ERROR -> {
                        log.warn("clamd could not scan {}: {}", key, outcome.detail());
                        yield storage.delete(key).then(Mono.error(new ApiException(HttpStatus.SERVICE_UNAVAILABLE,
                                ProblemTypes.SERVICE_UNAVAILABLE, "Antivirus unavailable",
                                "The file could not be scanned; try again later")));
                    }
                });
    }

    /** Writes the row of a stored file once the form's fields are known (404 for a foreign conversation). */
    Mono<MediaView> record(ConversaPrincipal caller, StoredFile file, Map<String, String> fields) {
        UUID conversationId = uuid(fields, "conversationId");
        UUID messageId = uuid(fields, "messageId");
        Mono<Void> checks = Mono.when(
                conversationId == null ? Mono.empty()
                        : conversations.findVisible(caller, conversationId)
                                .switchIfEmpty(Mono.error(ApiException.notFound("conversation", conversationId))),
                messageId == null ? Mono.empty()
                        : repository.messageExists(caller.tenantId(), messageId)
                                .filter(Boolean::booleanValue)
                                .switchIfEmpty(Mono.error(ApiException.notFound("message", messageId))));
        MediaRecord row = new MediaRecord(file.id(), caller.tenantId(), conversationId, messageId,
                file.verdict().kind(), file.verdict().mimeType(), file.size(), file.sha256(), file.filename(),
                file.key(), file.scanResult(), "user:" + caller.userId(), clock.instant());
        return checks.then(repository.insert(row)).map(MediaRecord::view)
                .doOnNext(media -> log.info("Stored {} {} ({} bytes) for tenant {}", media.type(), media.id(),
                        media.size(), caller.tenantId()));
    }

    /** Removes the bytes of an upload that will not be recorded. */
    Mono<Void> discard(StoredFile file) {
        return storage.delete(file.key())
                .onErrorResume(error -> {
                    log.warn("Could not delete {} after a failed upload: {}", file.key(), error.toString());
                    return Mono.empty();
                });
    }

    Mono<MediaRecord> find(ConversaPrincipal caller, UUID id) {
        return repository.find(caller.tenantId(), id).switchIfEmpty(Mono.error(ApiException.notFound("media", id)));
    }

    Mono<MediaRecord> findSigned(UUID id, long expires, @Nullable String signature) {
        if (!links.verify(id, expires, signature)) {
            return Mono.error(new ApiException(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Invalid link",
                    "The link is invalid or has expired"));
        }
        return repository.findForSignedLink(id).switchIfEmpty(Mono.error(ApiException.notFound("media", id)));
    }

    Mono<MediaLinks.SignedLink> link(ConversaPrincipal caller, UUID id) {
        return find(caller, id).map(media -> links.sign(media.id()));
    }

    Flux<DataBuffer> content(MediaRecord media) {
        return storage.get(media.storageKey());
    }

    private static @Nullable UUID uuid(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.trim());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(name + " is not a UUID");
        }
    }

    /** The last path segment, without control characters, at most 255 characters. */
    static @Nullable String cleanName(@Nullable String filename) {
        if (filename == null) {
            return null;
        }
        String name = filename.substring(Math.max(filename.lastIndexOf('/'), filename.lastIndexOf('\\')) + 1)
                .replaceAll("\\p{Cntrl}", "").strip();
        if (name.isEmpty()) {
            return null;
        }
        return name.length() > 255 ? name.substring(name.length() - 255) : name;
    }

    /** A file in the storage, checked and scanned, not yet recorded. */
    record StoredFile(UUID id, String key, MediaTypeRules.Verdict verdict, long size, String sha256,
            @Nullable String filename, String scanResult) {
    }
}
