package dev.conversa.session.media;

import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.conversa.events.command.MediaRef;
import dev.conversa.events.message.MessageType;
import dev.conversa.media.storage.MediaKeys;
import dev.conversa.media.storage.MediaStorage;
import dev.conversa.session.transport.LiveConnection;
import dev.conversa.session.transport.MediaFile;
import dev.conversa.session.transport.MediaUploadException;
import dev.conversa.session.transport.OutboundSend;
import dev.conversa.session.transport.SendResult;
import reactor.core.publisher.Mono;

/**
 * Turns a send of one of our stored files ({@link MediaRef#mediaId()}) into a send WhatsApp can deliver: the file is
 * streamed from the media storage ({@code <tenant>/<mediaId>}) to the session's transport
 * ({@link LiveConnection#uploadMedia}) and the send names WhatsApp's id of it. The id is kept in Redis per (session,
 * file) for {@code reuse-for}, so a campaign that sends one brochure to ten thousand contacts uploads it once per
 * number. Sends without a stored file pass unchanged (text, media by public link).
 *
 * <p>Failures answer {@link MediaUploadException}: a file that is not in the storage is final (404); a refusal
 * keeps the transport's code and retryability; an upload slower than {@code timeout} is retryable (504). Redis is
 * only a cache here: when it fails, the file is uploaded again.
 */
public class OutboundMediaUploads {

    private static final Logger log = LoggerFactory.getLogger(OutboundMediaUploads.class);
    private static final String KEY_PREFIX = "session:media:";
    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);

    private final MediaStorage storage;
    private final ReactiveStringRedisTemplate redis;
    private final MediaUploadProperties properties;

    public OutboundMediaUploads(MediaStorage storage, ReactiveStringRedisTemplate redis,
            MediaUploadProperties properties) {
        this.storage = Objects.requireNonNull(storage, "storage");
        this.redis = Objects.requireNonNull(redis, "redis");
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    /** {@code send} naming WhatsApp's id of its stored file, uploaded first unless this session uploaded it lately. */
    public Mono<OutboundSend> prepare(String tenantId, LiveConnection connection, OutboundSend send) {
        MediaRef media = send.media();
        if (media == null || media.mediaId() == null || !carriesFile(send.type())) {
            return Mono.just(send);
        }
        UUID mediaId = media.mediaId();
        String key = key(connection.sessionId(), mediaId);
        return redis.opsForValue().get(key)
                .timeout(REDIS_TIMEOUT)
                .onErrorResume(error -> {
                    log.warn("Upload cache of session {} unavailable ({}); uploading media {} again",
                            connection.sessionId(), error.toString(), mediaId);
                    return Mono.empty();
                })
                .switchIfEmpty(Mono.defer(() -> upload(tenantId, connection, mediaId, media)
                        .flatMap(uploaded -> remember(key, uploaded).thenReturn(uploaded))))
                .map(send::withTransportMediaId);
    }

    /** Drops the session's id of the file, so the next send uploads it again (after WhatsApp refused a send of it). */
    public Mono<Void> forget(UUID sessionId, UUID mediaId) {
        return redis.delete(key(sessionId, mediaId))
                .timeout(REDIS_TIMEOUT)
                .onErrorResume(error -> Mono.just(0L))
                .then();
    }

    private Mono<String> upload(String tenantId, LiveConnection connection, UUID mediaId, MediaRef media) {
        String storageKey = MediaKeys.of(tenantId, mediaId);
        return storage.exists(storageKey).flatMap(stored -> {
            if (!stored) {
                return Mono.error(new MediaUploadException(new SendResult.Rejected(404,
                        "media " + mediaId + " is not in the media storage", false), null));
            }
            long started = System.nanoTime();
            return connection.uploadMedia(new MediaFile(storage.get(storageKey), media.mimeType(), media.filename()))
                    .timeout(properties.timeout())
                    .onErrorMap(TimeoutException.class, timeout -> new MediaUploadException(
                            new SendResult.Rejected(504, "media upload took longer than " + properties.timeout(),
                                    true), timeout))
                    .doOnNext(uploaded -> log.info("Session {} uploaded media {} ({}) in {} ms", connection.sessionId(),
                            mediaId, media.mimeType(), (System.nanoTime() - started) / 1_000_000));
        });
    }

    private Mono<Boolean> remember(String key, String uploaded) {
        if (properties.reuseFor().isZero()) {
            return Mono.just(false);
        }
        return redis.opsForValue().set(key, uploaded, properties.reuseFor())
                .timeout(REDIS_TIMEOUT)
                .onErrorResume(error -> Mono.just(false));
    }

    private static boolean carriesFile(MessageType type) {
        return switch (type) {
            case IMAGE, AUDIO, VIDEO, DOCUMENT, STICKER -> true;
            default -> false;
        };
    }

    /** {@code session:media:{sessionId}:{mediaId}}. */
    static String key(UUID sessionId, UUID mediaId) {
        return KEY_PREFIX + sessionId + ":" + mediaId;
    }
}
