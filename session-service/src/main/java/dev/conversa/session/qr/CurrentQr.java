package dev.conversa.session.qr;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * The QR ref a session shows right now: the {@code attempt}-th ref of the current pairing round, valid until
 * {@code expiresAt}. The ref is the raw value the linked-device transport received; a phone scans it.
 */
public record CurrentQr(UUID sessionId, String tenantId, String ref, int attempt, Instant expiresAt) {

    public CurrentQr {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }
}
