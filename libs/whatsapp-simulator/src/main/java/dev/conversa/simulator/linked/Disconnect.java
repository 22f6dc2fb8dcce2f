package dev.conversa.simulator.linked;

import java.util.Map;
import java.util.Set;

import org.springframework.web.reactive.socket.CloseStatus;

/**
 * Why the simulator ends a connection: a Baileys {@code DisconnectReason} code and a reason. The {@code disconnect}
 * frame carries both; the WebSocket close status is {@code 4000 + code}.
 */
record Disconnect(int code, String reason) {

    /** Codes the simulator may close with; the control API can force all but 411. */
    static final Set<Integer> CODES = Set.of(401, 403, 408, 411, 428, 440, 500, 503, 515);

    private static final Map<Integer, String> DEFAULT_REASONS = Map.of(
            401, "logged out",
            403, "banned",
            408, "connection lost",
            411, "multi-device mismatch",
            428, "Connection Closed",
            440, "connection replaced",
            500, "bad session",
            503, "service unavailable",
            515, "restart required");

    static final Disconnect LOGGED_OUT = of(401);
    static final Disconnect CONNECTION_LOST = of(408);
    static final Disconnect QR_REFS_ENDED = new Disconnect(408, "QR refs attempts ended");
    static final Disconnect HELLO_TIMEOUT = new Disconnect(428, "hello timeout");
    static final Disconnect HELLO_EXPECTED = new Disconnect(428, "hello expected");
    static final Disconnect REPLACED = of(440);
    static final Disconnect UNSUPPORTED_PROTOCOL = new Disconnect(500, "unsupported protocol");
    static final Disconnect RESTART_REQUIRED = of(515);

    /** The WebSocket close reason may hold 123 bytes of UTF-8. */
    private static final int MAX_CLOSE_REASON = 123;

    Disconnect {
        if (!CODES.contains(code)) {
            throw new IllegalArgumentException("Not a disconnect code: " + code);
        }
        if (reason == null || reason.isBlank()) {
            reason = DEFAULT_REASONS.get(code);
        }
    }

    static Disconnect of(int code) {
        return new Disconnect(code, null);
    }

    CloseStatus closeStatus() {
        String text = reason;
        while (text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_CLOSE_REASON) {
            text = text.substring(0, text.length() - 1);
        }
        return new CloseStatus(4000 + code, text);
    }
}
