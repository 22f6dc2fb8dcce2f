package dev.conversa.simulator.media;

import org.jspecify.annotations.Nullable;

/**
 * A stored file as the control API shows it; the fields are those of {@code InboundMessage.Media}, so a test can pass
 * them on when a phone sends the file.
 */
public record MediaView(String id, String mimeType, String sha256, long fileSize, @Nullable String filename) {

    public static MediaView of(StoredMedia media) {
        return new MediaView(media.id(), media.mimeType(), media.sha256(), media.size(), media.filename());
    }
}
