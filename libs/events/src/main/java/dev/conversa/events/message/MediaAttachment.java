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
 */
public record MediaAttachment(
        @Nullable String waMediaId,
        String mimeType,
        @Nullable String sha256,
        @Nullable Long fileSize,
        @Nullable String filename,
        @Nullable String caption,
        @Nullable UUID mediaId) {

    public MediaAttachment {
        Objects.requireNonNull(mimeType, "mimeType");
    }
}
