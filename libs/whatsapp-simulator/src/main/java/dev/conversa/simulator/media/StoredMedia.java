package dev.conversa.simulator.media;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * One media object: an upload through the Cloud API, or a file a simulated phone sends.
 *
 * @param id       unguessable numeric id (Meta's media ids are numeric strings)
 * @param sha256   lowercase hex SHA-256 of {@code bytes}
 */
public record StoredMedia(String id, byte[] bytes, String mimeType, String sha256, @Nullable String filename,
        Instant createdAt) {

    public long size() {
        return bytes.length;
    }
}
