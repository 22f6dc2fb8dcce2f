package dev.conversa.session.qr;

import java.time.Instant;
import java.util.UUID;

/** Body of {@code GET /api/v1/sessions/{id}/qr}: the raw ref, and the same ref as a PNG data URL to show. */
record QrCodeResponse(UUID sessionId, String ref, int attempt, Instant expiresAt, String pngDataUrl) {
}
