package dev.conversa.events.message;

import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * A media file attached to a received or stored message.
 *
 * @param waMediaId WhatsApp's media id, to download the file from the transport
 * @param mimeType  e.g. {@code image/jpeg}
 * @param sha256    the file's SHA-256 as the transport reports it (Base64 or hex, as given)
 * @param fileSize  size in bytes, when known
 * @param filename  the original file name (documents)
 * @param caption   the caption typed by the sender
 * @param mediaId   our id of the file once it is stored, when it is
 * @param available whether the file could be stored: {@code true} when it is, under {@code mediaId};
 *                  {@code false} when session-service could not download it from WhatsApp after its retries (the
 *                  message is delivered all the same, without the file); {@code null} when nobody tried (outbound
 *                  media, or producers older than this field)
 */
public record MediaAttachment(
        @Nullable String waMediaId,
        String mimeType,
        @Nullable String sha256,
        @Nullable Long fileSize,
        @Nullable String filename,
        @Nullable String caption,
        @Nullable UUID mediaId,
        @Nullable Boolean available) {

    public MediaAttachment {
        Objects.requireNonNull(mimeType, "mimeType");
    }

    /** A file nobody tried to store yet ({@code available} unknown): the shape before {@code available} existed. */
    public MediaAttachment(@Nullable String waMediaId, String mimeType, @Nullable String sha256,
            @Nullable Long fileSize, @Nullable String filename, @Nullable String caption, @Nullable UUID mediaId) {
        this(waMediaId, mimeType, sha256, fileSize, filename, caption, mediaId, null);
    }

    /** This file, stored under our {@code mediaId}, with the size and SHA-256 (hex) of the stored bytes. */
    public MediaAttachment stored(UUID storedId, String storedSha256, long storedSize) {
        return new MediaAttachment(waMediaId, mimeType, storedSha256, storedSize, filename, caption, storedId, true);
    }

    /** This file, which could not be downloaded: the message goes on without it. */
    public MediaAttachment unavailable() {
        return new MediaAttachment(waMediaId, mimeType, sha256, fileSize, filename, caption, null, false);
    }
}
