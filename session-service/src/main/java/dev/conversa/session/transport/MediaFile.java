package dev.conversa.session.transport;

import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;

import reactor.core.publisher.Flux;

/**
 * A stored file to upload to WhatsApp before a media message names it.
 *
 * @param content  the bytes, streamed from the media storage; read once per upload attempt
 * @param mimeType the file's type as we detected it at upload ({@code image/jpeg} …)
 * @param filename the name the recipient sees for documents
 */
public record MediaFile(Flux<DataBuffer> content, String mimeType, @Nullable String filename) {

    public MediaFile {
        Objects.requireNonNull(content, "content");
        Objects.requireNonNull(mimeType, "mimeType");
    }
}
