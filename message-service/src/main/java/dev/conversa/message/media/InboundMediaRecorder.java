package dev.conversa.message.media;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;

import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.media.storage.MediaKeys;
import dev.conversa.messaging.DurableConsumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The media rows of inbound files: session-service downloads a file, stores it under {@code <tenant>/<mediaId>}
 * in the shared media storage and publishes {@code received} with {@code media.mediaId} and
 * {@code media.available: true}; this consumer (binding {@code recordInboundMedia-in-0}, its own group, so the inbox
 * consumer is untouched) writes the {@code message.media} row that makes the file downloadable through
 * {@code GET /api/v1/media/{id}}. Idempotent: the row's id is the media id. Files marked unavailable get no row —
 * their message shows the media without a file.
 */
@Configuration(proxyBeanMethods = false)
class InboundMediaRecorder {

    static final String CREATED_BY = "session-service";
    private static final Logger log = LoggerFactory.getLogger(InboundMediaRecorder.class);

    @Bean
    Function<Flux<Message<byte[]>>, Mono<Void>> recordInboundMedia(DurableConsumer consumer,
            MediaRepository repository) {
        return records -> consumer.consumeBatches("recordInboundMedia", records,
                metadata -> EventTypes.MESSAGE_RECEIVED.equals(metadata.type()), MessageReceived.class, 100,
                Duration.ofMillis(50), batch -> write(repository, batch));
    }

    static Mono<Void> write(MediaRepository repository, List<EventEnvelope<MessageReceived>> batch) {
        return Flux.fromIterable(batch)
                .map(EventEnvelope::payload)
                .filter(InboundMediaRecorder::hasStoredFile)
                .concatMap(message -> repository.insertInbound(row(message), message.sessionId(),
                        message.waMessageId()))
                .filter(Boolean::booleanValue)
                .count()
                .doOnNext(written -> {
                    if (written > 0) {
                        log.debug("Recorded {} inbound media file(s)", written);
                    }
                })
                .then();
    }

    static boolean hasStoredFile(MessageReceived message) {
        MediaAttachment media = message.media();
        return media != null && media.mediaId() != null && Boolean.TRUE.equals(media.available())
                && kind(message) != null;
    }

    private static MediaRecord row(MessageReceived message) {
        MediaAttachment media = message.media();
        return new MediaRecord(media.mediaId(), message.tenantId(), null, null, kind(message), media.mimeType(),
                media.fileSize() == null ? 0 : media.fileSize(), media.sha256() == null ? "" : media.sha256(),
                MediaService.cleanName(media.filename()), MediaKeys.of(message.tenantId(), media.mediaId()),
                "not-scanned", CREATED_BY, message.receivedAt() == null ? Instant.now() : message.receivedAt());
    }

    private static MediaKind kind(MessageReceived message) {
        return switch (message.type()) {
            case IMAGE -> MediaKind.IMAGE;
            case AUDIO -> MediaKind.AUDIO;
            case VIDEO -> MediaKind.VIDEO;
            case DOCUMENT -> MediaKind.DOCUMENT;
            case STICKER -> MediaKind.STICKER;
            default -> null;
        };
    }
}
