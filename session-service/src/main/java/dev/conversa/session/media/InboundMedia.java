package dev.conversa.session.media;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;

import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.media.storage.MediaKeys;
import dev.conversa.media.storage.MediaStorage;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Makes the file of an inbound message ours before the message is published: downloads it from the transport,
 * streams it into the media storage under {@code <tenant>/<id>} — the id derived from (session, WhatsApp message
 * id), so a redelivered message overwrites the same object instead of adding one — and answers the message with
 * {@code media.mediaId}, the stored size and SHA-256. A download that keeps failing after
 * {@code conversa.session.media.attempts} (each with a fresh URL) answers the message with the media marked
 * unavailable: the message itself is never held back or lost. Messages without a file pass unchanged.
 */
public class InboundMedia {

    private static final Logger log = LoggerFactory.getLogger(InboundMedia.class);

    private final MediaDownloads downloads;
    private final MediaStorage storage;
    private final InboundMediaProperties properties;

    InboundMedia(MediaDownloads downloads, MediaStorage storage, InboundMediaProperties properties) {
        this.downloads = downloads;
        this.storage = storage;
        this.properties = properties;
    }

    /** A message of a Cloud API session, whose token downloads the file. */
    public Mono<MessageReceived> fromCloudApi(MessageReceived message, String accessToken) {
        return attach(message, waMediaId -> () -> downloads.cloudApi(waMediaId, accessToken));
    }

    /** A message of a linked-device session. */
    public Mono<MessageReceived> fromLinkedDevice(MessageReceived message) {
        return attach(message, waMediaId -> () -> downloads.linked(waMediaId));
    }

    private Mono<MessageReceived> attach(MessageReceived message,
            java.util.function.Function<String, Supplier<Flux<DataBuffer>>> source) {
        MediaAttachment media = message.media();
        if (media == null || media.waMediaId() == null || media.mediaId() != null) {
            return Mono.just(message);
        }
        UUID id = mediaId(message);
        String key = MediaKeys.of(message.tenantId(), id);
        Supplier<Flux<DataBuffer>> download = source.apply(media.waMediaId());
        return Mono.defer(() -> store(key, media.mimeType(), download.get()))
                .timeout(properties.attemptTimeout())
                .retryWhen(Retry.backoff(properties.attempts() - 1L, properties.firstBackoff())
                        .filter(error -> !(error instanceof TooLargeException))
                        .doBeforeRetry(retry -> log.info("Media of {} on session {}: attempt {} failed ({}), retrying",
                                message.waMessageId(), message.sessionId(), retry.totalRetries() + 1,
                                retry.failure().toString())))
                .map(stored -> with(message, media.stored(id, stored.sha256(), stored.size())))
                .onErrorResume(error -> {
                    log.warn("Media of {} on session {} is unavailable: {}", message.waMessageId(),
                            message.sessionId(), error.toString());
                    return Mono.just(with(message, media.unavailable()));
                });
    }

    private Mono<Stored> store(String key, String mimeType, Flux<DataBuffer> content) {
        MessageDigest digest = sha256();
        long max = properties.maxSize().toBytes();
        long[] size = {0};
        Flux<DataBuffer> counted = content.handle((buffer, sink) -> {
            size[0] += buffer.readableByteCount();
            if (size[0] > max) {
                DataBufferUtils.release(buffer);
                sink.error(new TooLargeException(max));
                return;
            }
            try (DataBuffer.ByteBufferIterator buffers = buffer.readableByteBuffers()) {
                while (buffers.hasNext()) {
                    digest.update(buffers.next());
                }
            }
            sink.next(buffer);
        });
        return storage.put(key, counted, mimeType)
                .map(written -> new Stored(written, HexFormat.of().formatHex(digest.digest())));
    }

    /** Our id of the file of a message: the same for every delivery of the same message. */
    static UUID mediaId(MessageReceived message) {
        return Uuids.named("inbound-media", message.sessionId().toString(), message.waMessageId());
    }

    private static MessageReceived with(MessageReceived message, MediaAttachment media) {
        return new MessageReceived(message.tenantId(), message.sessionId(), message.waMessageId(), message.from(),
                message.contactName(), message.type(), message.text(), media, message.location(), message.reaction(),
                message.buttonReply(), message.contextWaMessageId(), message.timestamp(), message.receivedAt());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Stored(long size, String sha256) {
    }

    static final class TooLargeException extends RuntimeException {

        TooLargeException(long max) {
            super("The file is larger than " + max + " bytes");
        }
    }
}
