package dev.conversa.events.command;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How urgent a send is within its session's pace (wire value lower case: {@code "conversational"}).
 * {@link #CONVERSATIONAL} sends (agent and bot replies, read receipts) go before {@link #BULK} ones (campaigns), so a
 * running campaign never delays a reply to a customer by more than one send slot.
 */
public enum SendPriority {
    CONVERSATIONAL, BULK;

    /** The wire value, e.g. {@code "bulk"}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of a wire value; an unknown value reads as {@link #CONVERSATIONAL}, the safe side for a reply. */
    @JsonCreator
    public static SendPriority fromValue(String value) {
        for (SendPriority priority : values()) {
            if (priority.value().equals(value)) {
                return priority;
            }
        }
        return CONVERSATIONAL;
    }
}
