package dev.conversa.message.media;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import io.r2dbc.spi.Readable;

/**
 * A row of {@code message.media}.
 *
 * @param scanResult {@code clean} or {@code not-scanned}; the only results a stored file can have today (infected
 *                   files are deleted before a row is written), so the send API treats any other value as unsendable
 */
public record MediaRecord(
        UUID id,
        String tenantId,
        @Nullable UUID conversationId,
        @Nullable UUID messageId,
        MediaKind kind,
        String mimeType,
        long size,
        String sha256,
        @Nullable String filename,
        String storageKey,
        String scanResult,
        String createdBy,
        Instant createdAt) {

    /** Columns of {@code message.media md}; an inbound file's message and conversation come from its message row. */
    static final String COLUMNS = """
            md.id, md.tenant_id, coalesce(md.conversation_id, m.conversation_id) AS conversation_id,
            coalesce(md.message_id, m.id) AS message_id, md.type, md.mime_type, md.size_bytes, md.sha256,
            md.original_filename, md.storage_key, md.scan_result, md.created_by, md.created_at""";

    static final String FROM = " FROM message.media md LEFT JOIN message.messages m ON md.message_id IS NULL"
            + " AND m.session_id = md.session_id AND m.wa_message_id = md.wa_message_id";

    static MediaRecord read(Readable row) {
        OffsetDateTime created = row.get("created_at", OffsetDateTime.class);
        Long size = row.get("size_bytes", Long.class);
        return new MediaRecord(row.get("id", UUID.class), row.get("tenant_id", String.class),
                row.get("conversation_id", UUID.class), row.get("message_id", UUID.class),
                MediaKind.of(row.get("type", String.class)), row.get("mime_type", String.class),
                size == null ? 0 : size, row.get("sha256", String.class), row.get("original_filename", String.class),
                row.get("storage_key", String.class), row.get("scan_result", String.class),
                row.get("created_by", String.class), created == null ? Instant.EPOCH : created.toInstant());
    }

    MediaView view() {
        return new MediaView(id, conversationId, messageId, kind.value(), mimeType, size, sha256, filename,
                scanResult, createdBy, createdAt);
    }
}
