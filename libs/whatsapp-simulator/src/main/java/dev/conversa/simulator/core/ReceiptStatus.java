package dev.conversa.simulator.core;

import java.util.Locale;

/** Statuses WhatsApp reports for a sent message. */
public enum ReceiptStatus {
    SENT, DELIVERED, READ, FAILED;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
