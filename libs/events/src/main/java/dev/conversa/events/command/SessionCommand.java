package dev.conversa.events.command;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Payload of {@code conversa.session.logout-requested.v1} and {@code conversa.session.restart-requested.v1} on
 * {@code wa.commands}: an order to the session's owner; the command is the CloudEvent type.
 *
 * @param tenantId    the tenant owning the session
 * @param sessionId   the session; also the record key
 * @param requestedBy the user (or service) who asked
 * @param requestedAt when it was asked
 */
public record SessionCommand(String tenantId, UUID sessionId, String requestedBy, Instant requestedAt) {

    public SessionCommand {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }
}
