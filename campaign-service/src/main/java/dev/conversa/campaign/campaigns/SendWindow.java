package dev.conversa.campaign.campaigns;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * When a campaign may send, in its own time zone: a daily window {@code [start, end)} (absent = all day; an end
 * before the start spans midnight, e.g. 22:00–06:00) on ISO days of the week (1 = Monday … 7 = Sunday). For an
 * overnight window the day that counts is the day the window opened: with 22:00–06:00 on Friday only, Saturday
 * 02:00 may send and Friday 02:00 may not. Local times are read on the wall clock, so DST changes move the window
 * with the clock.
 */
public record SendWindow(ZoneId zone, @Nullable LocalTime start, @Nullable LocalTime end, Set<Integer> days) {

    public SendWindow {
        days = Set.copyOf(days);
    }

    /** Whether a send may happen at {@code instant}. */
    public boolean allows(Instant instant) {
        ZonedDateTime local = instant.atZone(zone);
        int day = local.getDayOfWeek().getValue();
        if (start == null || end == null || start.equals(end)) {
            return days.contains(day);
        }
        LocalTime time = local.toLocalTime();
        if (start.isBefore(end)) {
            return days.contains(day) && !time.isBefore(start) && time.isBefore(end);
        }
        // overnight: the evening part belongs to today, the morning part to the day before
        if (!time.isBefore(start)) {
            return days.contains(day);
        }
        if (time.isBefore(end)) {
            return days.contains(day == 1 ? 7 : day - 1);
        }
        return false;
    }
}
