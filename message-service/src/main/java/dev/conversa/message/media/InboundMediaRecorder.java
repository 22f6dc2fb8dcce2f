package dev.conversa.message.media;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import dev.conversa.events.message.MediaAttachment;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.media.storage.MediaKeys;
import reactor.core.publisher.Mono;

/**
 * The media rows of inbound files: session-service downloads a file, stores it under {@code <tenant>/<mediaId>}
 * in the shared media storage and publishes {@code received} with {@code media.mediaId} and
 * {@code media.available: true}; the inbox's consumer of {@code wa.message.inbound} calls {@link #record} inside
 * the transaction that stores the batch's messages, so a file's row is committed with its message — before the
 * records' offsets — and no second decoding pass over the topic is needed. The row makes the file downloadable
 * through {@code GET /api/v1/media/{id}} and is linked to its message by {@code (session_id, wa_message_id)}.
 * Idempotent: the row's id is the media id. Files marked unavailable get no row — their message shows the media
 * without a file.
 */
@Component
public class InboundMediaRecorder {

    static final String CREATED_BY = "session-service";

    private final DatabaseClient db;

    InboundMediaRecorder(DatabaseClient db) {
        this.db = db;
    }

    /**
     * Writes the rows of the stored files among {@code messages}, in the caller's transaction: one statement when
     * there is any, none otherwise; a file already recorded (a redelivery) is left as it is. Completes with the
     * number of rows written.
     */
    public Mono<Long> record(List<MessageReceived> messages) {
        List<MessageReceived> withFiles = new ArrayList<>();
        for (MessageReceived message : messages) {
            if (hasStoredFile(message)) {
                withFiles.add(message);
            }
        }
        if (withFiles.isEmpty()) {
            return Mono.just(0L);
        }
        int n = withFiles.size();
        UUID[] ids = new UUID[n];
        String[] tenants = new String[n];
        UUID[] sessions = new UUID[n];
        String[] waIds = new String[n];
        String[] kinds = new String[n];
        String[] mimeTypes = new String[n];
        Long[] sizes = new Long[n];
        String[] hashes = new String[n];
        String[] names = new String[n];
        String[] keys = new String[n];
        String[] times = new String[n];
        for (int i = 0; i < n; i++) {
            MessageReceived message = withFiles.get(i);
            MediaAttachment media = message.media();
            ids[i] = media.mediaId();
            tenants[i] = message.tenantId();
            sessions[i] = message.sessionId();
            waIds[i] = message.waMessageId();
            kinds[i] = kind(message).value();
            mimeTypes[i] = media.mimeType();
            sizes[i] = media.fileSize() == null ? 0 : media.fileSize();
            hashes[i] = media.sha256() == null ? "" : media.sha256();
            names[i] = MediaService.cleanName(media.filename());
            keys[i] = MediaKeys.of(message.tenantId(), media.mediaId());
            times[i] = (message.receivedAt() == null ? Instant.now() : message.receivedAt()).toString();
        }
        return db.sql("""
                        INSERT INTO message.media (id, tenant_id, session_id, wa_message_id, type, mime_type,
                                                   size_bytes, sha256, original_filename, storage_key, scan_result,
                                                   created_by, created_at)
                        SELECT u.id, u.tenant_id, u.session_id, u.wa_message_id, u.type, u.mime_type, u.size_bytes,
                               u.sha256, u.filename, u.storage_key, 'not-scanned', :createdBy, u.at::timestamptz
                          FROM unnest(:ids::uuid[], :tenants::text[], :sessions::uuid[], :waIds::text[],
                                      :kinds::text[], :mimeTypes::text[], :sizes::bigint[], :hashes::text[],
                                      :names::text[], :keys::text[], :times::text[])
                               AS u(id, tenant_id, session_id, wa_message_id, type, mime_type, size_bytes, sha256,
                                    filename, storage_key, at)
                        ON CONFLICT (id) DO NOTHING""")
                .bind("createdBy", CREATED_BY)
                .bind("ids", ids)
                .bind("tenants", tenants)
                .bind("sessions", sessions)
                .bind("waIds", waIds)
                .bind("kinds", kinds)
                .bind("mimeTypes", mimeTypes)
                .bind("sizes", sizes)
                .bind("hashes", hashes)
                .bind("names", names)
                .bind("keys", keys)
                .bind("times", times)
                .fetch().rowsUpdated();
    }

    static boolean hasStoredFile(MessageReceived message) {
        MediaAttachment media = message.media();
        return media != null && media.mediaId() != null && Boolean.TRUE.equals(media.available())
                && kind(message) != null;
    }

    private static @Nullable MediaKind kind(MessageReceived message) {
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
