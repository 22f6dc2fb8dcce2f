package dev.conversa.events.contact;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Status of a CSV contact import; on the wire in lower case. */
public enum ContactImportStatus {
    /** Rows are still being read and written. */
    PROCESSING,
    /** Every row was read; the counters are final. */
    COMPLETED,
    /** The file could not be read to its end (see {@code error}); the counters are what was committed. */
    FAILED;

    /** The wire value, e.g. {@code "processing"}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of a wire value. */
    @JsonCreator
    public static ContactImportStatus fromValue(String value) {
        for (ContactImportStatus constant : values()) {
            if (constant.value().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("Unknown ContactImportStatus value: " + value);
    }
}
