package dev.conversa.events.command;

import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The media file to send: one we stored ({@code mediaId}) or one at a public {@code url}; at least one is given.
 *
 * @param mediaId  our id of a stored file
 * @param mimeType e.g. {@code application/pdf}
 * @param filename the file name the recipient sees (documents)
 * @param caption  the caption under the media
 * @param url      a public HTTPS link the transport downloads the file from
 */
public record MediaRef(
        @Nullable UUID mediaId,
        String mimeType,
        @Nullable String filename,
        @Nullable String caption,
        @Nullable String url) {

    public MediaRef {
        Objects.requireNonNull(mimeType, "mimeType");
        if (mediaId == null && url == null) {
            throw new IllegalArgumentException("A media reference needs a mediaId or a url");
        }
    }
}
