package dev.conversa.events.message;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Delivery status of an outbound message (wire value lower case: {@code "delivered"}).
 *
 * <p>Status moves only forward, {@code pending → accepted → sent → delivered → read}, possibly skipping steps,
 * whatever order the receipts arrive in; {@code failed} can follow any non-terminal status; {@code read} and
 * {@code failed} are terminal. {@link #canMoveTo} is that rule, so every service applies the same one.
 */
public enum DeliveryStatus {
    PENDING, ACCEPTED, SENT, DELIVERED, READ, FAILED;

    /** The wire value, e.g. {@code "sent"}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of a wire value. */
    @JsonCreator
    public static DeliveryStatus fromValue(String value) {
        for (DeliveryStatus status : values()) {
            if (status.value().equals(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("Unknown delivery status: " + value);
    }

    /** {@code read} and {@code failed}: no status follows them. */
    public boolean isTerminal() {
        return this == READ || this == FAILED;
    }

    /**
     * Whether a message in this status may take {@code next}: a later step of the forward chain, or {@code failed}
     * from a non-terminal status. Staying in the same status is not a move, and a terminal status never moves.
     */
    public boolean canMoveTo(DeliveryStatus next) {
        if (isTerminal() || next == this) {
            return false;
        }
        return next == FAILED || next.ordinal() > ordinal();
    }
}
