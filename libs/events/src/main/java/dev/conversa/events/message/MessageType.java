package dev.conversa.events.message;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * The kind of a WhatsApp message, as it travels on the wire (lower case: {@code "text"}, {@code "image"} …).
 *
 * <p>Reading tolerates values added by a newer producer: they become {@link #UNKNOWN} instead of failing.
 */
public enum MessageType {
    TEXT, IMAGE, AUDIO, VIDEO, DOCUMENT, STICKER, LOCATION, CONTACTS, REACTION, BUTTON, INTERACTIVE, TEMPLATE, UNKNOWN;

    /** The wire value, e.g. {@code "image"}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of a wire value; {@link #UNKNOWN} for a value this version does not know. */
    @JsonCreator
    public static MessageType fromValue(String value) {
        for (MessageType type : values()) {
            if (type.value().equals(value)) {
                return type;
            }
        }
        return UNKNOWN;
    }
}
