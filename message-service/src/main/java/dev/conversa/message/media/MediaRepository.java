package dev.conversa.message.media;

import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import reactor.core.publisher.Mono;

/** SQL of {@code message.media}; every read is scoped to a tenant. */
@Repository
class MediaRepository {

    private final DatabaseClient db;

    MediaRepository(DatabaseClient db) {
        this.db = db;
    }

    Mono<MediaRecord> insert(MediaRecord media) {
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                        INSERT INTO message.media (id, tenant_id, conversation_id, message_id, type, mime_type,
                                                   size_bytes, sha256, original_filename, storage_key, scan_result,
                                                   created_by, created_at)
                        VALUES (:id, :tenantId, :conversationId, :messageId, :type, :mimeType, :size, :sha256,
                                :filename, :storageKey, :scanResult, :createdBy, :createdAt)""")
                .bind("id", media.id())
                .bind("tenantId", media.tenantId());
        insert = bindFile(insert, media);
        insert = media.conversationId() == null ? insert.bindNull("conversationId", UUID.class)
                : insert.bind("conversationId", media.conversationId());
        insert = media.messageId() == null ? insert.bindNull("messageId", UUID.class)
                : insert.bind("messageId", media.messageId());
        return insert.fetch().rowsUpdated().thenReturn(media);
    }

    Mono<MediaRecord> find(String tenantId, UUID id) {
        return db.sql("SELECT " + MediaRecord.COLUMNS + MediaRecord.FROM
                        + " WHERE md.id = :id AND md.tenant_id = :tenantId")
                .bind("id", id)
                .bind("tenantId", tenantId)
                .map(MediaRecord::read)
                .one();
    }

    /** A signed link carries no tenant: its signature already proves who handed it out. */
    Mono<MediaRecord> findForSignedLink(UUID id) {
        return db.sql("SELECT " + MediaRecord.COLUMNS + MediaRecord.FROM + " WHERE md.id = :id")
                .bind("id", id)
                .map(MediaRecord::read)
                .one();
    }

    /** The columns taken from the file: kind, type, size, hash, storage, scan, author, time, name. */
    private static DatabaseClient.GenericExecuteSpec bindFile(DatabaseClient.GenericExecuteSpec insert,
            MediaRecord media) {
        DatabaseClient.GenericExecuteSpec bound = insert
                .bind("type", media.kind().value())
                .bind("mimeType", media.mimeType())
                .bind("size", media.size())
                .bind("sha256", media.sha256())
                .bind("storageKey", media.storageKey())
                .bind("scanResult", media.scanResult())
                .bind("createdBy", media.createdBy())
                .bind("createdAt", media.createdAt().atOffset(ZoneOffset.UTC));
        return media.filename() == null ? bound.bindNull("filename", String.class)
                : bound.bind("filename", media.filename());
    }

    Mono<Boolean> messageExists(String tenantId, UUID messageId) {
        return db.sql("SELECT 1 FROM message.messages WHERE id = :id AND tenant_id = :tenantId")
                .bind("id", messageId)
                .bind("tenantId", tenantId)
                .map(row -> true)
                .one()
                .defaultIfEmpty(false);
    }
}
