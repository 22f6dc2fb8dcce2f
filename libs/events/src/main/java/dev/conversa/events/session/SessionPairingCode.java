package dev.conversa.events.session;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Payload of {@code conversa.session.pairing-code.v1}: the code to type on the phone to link the session.
 *
 * @param tenantId    the tenant owning the session
 * @param sessionId   the session; also the record key
 * @param phoneNumber the number being linked, E.164
 * @param code        the pairing code, e.g. {@code ABCD-1234}
 * @param expiresAt   when the code stops working
 */
public record SessionPairingCode(String tenantId, UUID sessionId, String phoneNumber, String code, Instant expiresAt) {

    public SessionPairingCode {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(phoneNumber, "phoneNumber");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
