package dev.conversa.events.campaign;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Lifecycle status of a campaign; on the wire in lower case. */
public enum CampaignStatus {
    DRAFT, SCHEDULED, RUNNING, PAUSED, FINISHED, CANCELLED;

    /** The wire value, e.g. {@code "draft"}. */
    @JsonValue
    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The constant of a wire value. */
    @JsonCreator
    public static CampaignStatus fromValue(String value) {
        for (CampaignStatus constant : values()) {
            if (constant.value().equals(value)) {
                return constant;
            }
        }
        throw new IllegalArgumentException("Unknown CampaignStatus value: " + value);
    }
}
