package dev.conversa.events.conversation;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Status of a conversation in the inbox; on the wire in lower case. */
public enum ConversationStatus {
    OPEN, PENDING, CLOSED;

    /** The wire value, e.g. {@code "open"}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of a wire value. */
    @JsonCreator
    public static ConversationStatus fromValue(String value) {
        for (ConversationStatus constant : values()) {
            if (constant.value().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("Unknown ConversationStatus value: " + value);
    }
}
