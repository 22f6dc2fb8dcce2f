package dev.conversa.simulator.ban;

import java.time.Instant;

/**
 * What the ban model tells a business number's transports: a {@code WARNING} (linked devices get a frame, Cloud API
 * numbers an {@code account_update} webhook), then a {@code BANNED} (linked devices are closed with 403, Cloud API
 * sends answer error 368).
 */
public record AccountNotice(String businessNumber, Kind kind, String reason, Instant at) {

    public enum Kind {
        WARNING, BANNED, UNBANNED
    }
}
