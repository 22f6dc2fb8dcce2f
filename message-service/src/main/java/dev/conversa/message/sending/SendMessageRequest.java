package dev.conversa.message.sending;

import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /api/v1/conversations/{id}/messages}: exactly one of {@code text}, {@code media} or
 * {@code location}.
 *
 * @param type     optional: {@code text}, {@code image}, {@code video}, {@code audio}, {@code document},
 *                 {@code sticker} or {@code location}; a media message's type is taken from its MIME type when absent
 * @param text     the text, 1 to 4096 characters
 * @param media    a stored file ({@code mediaId}) or a public HTTPS {@code url}, with its MIME type
 * @param location a place to share
 * @param replyTo  our id of a message of this conversation to quote
 */
record SendMessageRequest(@Nullable String type, @Nullable String text, @Nullable Media media,
        @Nullable Place location, @Nullable UUID replyTo) {

    /** A media file to send; {@code caption} at most 1024 characters. */
    record Media(@Nullable UUID mediaId, @Nullable String url, @Nullable String mimeType, @Nullable String filename,
            @Nullable String caption) {
    }

    /** WGS 84 degrees, with the place's name and address if wanted. */
    record Place(@Nullable Double latitude, @Nullable Double longitude, @Nullable String name,
            @Nullable String address) {
    }
}
