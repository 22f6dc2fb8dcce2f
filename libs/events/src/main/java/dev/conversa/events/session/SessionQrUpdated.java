package dev.conversa.events.session;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Payload of {@code conversa.session.qr-updated.v1}: a new QR code to scan with the phone; the previous one is void.
 *
 * @param tenantId  the tenant owning the session
 * @param sessionId the session; also the record key
 * @param qr        the QR code's content (the string to render as a QR image)
 * @param attempt   1 for the first code of this linking, counting up with every rotation
 * @param expiresAt when this code stops working
 */
public record SessionQrUpdated(String tenantId, UUID sessionId, String qr, int attempt, Instant expiresAt) {

    public SessionQrUpdated {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(qr, "qr");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
