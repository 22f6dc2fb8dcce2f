package dev.conversa.events.cloudevents;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The CloudEvents context attributes of one Conversa event.
 *
 * @param id        unique per event ({@code ce_id}); consumers deduplicate on it
 * @param type      e.g. {@code conversa.message.received.v1}
 * @param source    the producing service, e.g. {@code /session-service}
 * @param time      when the occurrence happened (UTC)
 * @param subject   the aggregate id (sessionId, conversationId, campaignId …)
 * @param tenantId  the tenant; every event has one
 * @param sessionId the WhatsApp session, where there is one
 */
public record EventMetadata(
        String id,
        String type,
        String source,
        Instant time,
        String subject,
        String tenantId,
        @Nullable String sessionId) {

    public EventMetadata {
        requireText(id, "id");
        requireText(type, "type");
        requireText(source, "source");
        Objects.requireNonNull(time, "time");
        requireText(subject, "subject");
        requireText(tenantId, "tenantId");
    }

    /** A new event with a random id, happening now. */
    public static EventMetadata of(String type, String source, String subject, String tenantId,
            @Nullable String sessionId) {
        return new EventMetadata(UUID.randomUUID().toString(), type, source, Instant.now(), subject, tenantId,
                sessionId);
    }

    /** The same event with a given id: for producers that derive ids deterministically to make re-sends idempotent. */
    public EventMetadata withId(String newId) {
        return new EventMetadata(newId, type, source, time, subject, tenantId, sessionId);
    }

    private static void requireText(@Nullable String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("CloudEvent attribute '" + name + "' is required");
        }
    }
}
