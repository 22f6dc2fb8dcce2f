package dev.conversa.message.media;

import java.util.Set;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * What other features may ask of the stored files: the record a message's {@code media.mediaId} names (scoped to
 * the caller's tenant), and linking the file to the message that sends it.
 */
@Component
public class MediaReferences {

    /** Scan results of files that may be sent: clamd found nothing, or no clamd is configured. */
    public static final Set<String> SENDABLE_SCAN_RESULTS = Set.of("clean", "not-scanned");

    private final MediaRepository repository;
    private final DatabaseClient db;

    MediaReferences(MediaRepository repository, DatabaseClient db) {
        this.repository = repository;
        this.db = db;
    }

    /** The tenant's file; empty for an unknown id or another tenant's. */
    public Mono<MediaRecord> find(String tenantId, UUID mediaId) {
        return repository.find(tenantId, mediaId);
    }

    /**
     * Records {@code messageId} (and the conversation, when the file had none) as the file's message, when the file
     * belongs to no message yet: an upload not attached to a message, or attached to this conversation. A file that
     * came with an inbound message, or was sent before, keeps its first message. Completes with whether the row
     * changed.
     */
    public Mono<Boolean> linkToMessage(String tenantId, UUID mediaId, UUID conversationId, UUID messageId) {
        return db.sql("""
                        UPDATE message.media
                           SET message_id = :messageId, conversation_id = :conversationId
                         WHERE id = :id AND tenant_id = :tenantId
                           AND message_id IS NULL AND wa_message_id IS NULL
                           AND (conversation_id IS NULL OR conversation_id = :conversationId)""")
                .bind("messageId", messageId)
                .bind("conversationId", conversationId)
                .bind("id", mediaId)
                .bind("tenantId", tenantId)
                .fetch().rowsUpdated()
                .map(rows -> rows > 0);
    }
}
