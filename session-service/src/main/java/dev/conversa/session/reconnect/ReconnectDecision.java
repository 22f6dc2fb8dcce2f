package dev.conversa.session.reconnect;

import java.time.Duration;
import java.util.Objects;

/** What a linked-device session does after its connection ended; see {@link ReconnectPolicy#decide}. */
public sealed interface ReconnectDecision {

    /** Reconnect at once with the saved credentials (515 restart required). */
    record ReconnectNow() implements ReconnectDecision {
    }

    /** Reconnect with the saved credentials after {@code delay}; this will be reconnect attempt {@code attempt} (1-based). */
    record ReconnectAfter(Duration delay, int attempt) implements ReconnectDecision {

        public ReconnectAfter {
            Objects.requireNonNull(delay, "delay");
            if (delay.isNegative()) {
                throw new IllegalArgumentException("delay must not be negative");
            }
            if (attempt < 1) {
                throw new IllegalArgumentException("attempt is 1-based");
            }
        }
    }

    /**
     * Stop reconnecting and move the session to {@code status}. {@code wipeAuthState}: delete the stored credentials
     * and keys, they can never connect again. {@code needsNewQr}: only a new pairing (QR or pairing code) brings the
     * session back, so the operator is asked for one; nothing reconnects on its own.
     */
    record Stop(TerminalStatus status, boolean wipeAuthState, boolean needsNewQr) implements ReconnectDecision {

        public Stop {
            Objects.requireNonNull(status, "status");
        }
    }

    /**
     * The pairing round's QR refs expired unscanned. Not an outage: open no socket until someone asks for a new QR.
     */
    record WaitForNewQr() implements ReconnectDecision {
    }

    /** The session status a {@link Stop} leaves; {@link #wireValue()} is the lifecycle's status name. */
    enum TerminalStatus {
        LOGGED_OUT("logged_out"), BANNED("banned"), FAILED("failed");

        private final String wireValue;

        TerminalStatus(String wireValue) {
            this.wireValue = wireValue;
        }

        public String wireValue() {
            return wireValue;
        }
    }
}
