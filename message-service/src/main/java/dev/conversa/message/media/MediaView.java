package dev.conversa.message.media;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A stored media file as the API shows it.
 *
 * @param id             our media id: what a message's {@code media.mediaId} names
 * @param type           image, audio, video, document or sticker
 * @param mimeType       the type detected from the file's bytes
 * @param size           bytes
 * @param sha256         lowercase hex SHA-256 of the bytes
 * @param filename       the name it was uploaded (or sent) under
 * @param scanResult     {@code clean} (clamd found nothing) or {@code not-scanned}
 * @param createdBy      {@code user:<id>} or {@code session-service}
 */
public record MediaView(
        UUID id,
        @Nullable UUID conversationId,
        @Nullable UUID messageId,
        String type,
        String mimeType,
        long size,
        String sha256,
        @Nullable String filename,
        String scanResult,
        String createdBy,
        Instant createdAt) {
}
