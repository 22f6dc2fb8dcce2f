package dev.conversa.events.command;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Payload of {@code conversa.session.pairing-code-requested.v1} on {@code wa.commands}: link the session by
 * pairing code; the owner answers with {@code conversa.session.pairing-code.v1}.
 *
 * @param tenantId    the tenant owning the session
 * @param sessionId   the session; also the record key
 * @param phoneNumber the WhatsApp number to link, E.164
 * @param requestedBy the user who asked
 * @param requestedAt when it was asked
 */
public record PairingCodeRequested(
        String tenantId, UUID sessionId, String phoneNumber, String requestedBy, Instant requestedAt) {

    public PairingCodeRequested {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(phoneNumber, "phoneNumber");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
    }
}
