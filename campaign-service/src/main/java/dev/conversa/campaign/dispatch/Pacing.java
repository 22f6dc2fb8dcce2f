package dev.conversa.campaign.dispatch;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.random.RandomGenerator;

import org.jspecify.annotations.Nullable;

/**
 * The pace of one sending session (a row of {@code campaign.session_pacing}) and the arithmetic of a dispatcher tick:
 * how many sends are due, the daily cap with its warm-up ramp, and when the next send is due. Pure: the caller gives
 * the time and the random source.
 *
 * <p>Slots are {@code 60 s / messagesPerMinute} apart. Each slot's length is jittered by a uniform factor in
 * {@code [1 - jitter, 1 + jitter]}: the mean is exactly the interval, so the long-run rate equals the pace, while
 * the gaps look human. A session that was idle (its next slot long past) catches up at most {@code maxBurst} slots
 * at once, so the rate stays smooth after a pause; slots missed because a tick was late are all caught up
 * ({@link #catchUpWindow}).
 */
public record Pacing(
        int messagesPerMinute,
        int jitterPercent,
        int dailyCap,
        int warmupDays,
        int warmupStartCap,
        @Nullable LocalDate firstSendOn,
        Instant nextSendAt,
        @Nullable LocalDate day,
        int sentOnDay) {

    /** The mean gap between two sends. */
    public Duration interval() {
        return Duration.ofNanos(60_000_000_000L / messagesPerMinute);
    }

    /**
     * The daily cap on {@code today}: during warm-up it grows linearly from {@code warmupStartCap} on the first day
     * of sending to {@code dailyCap} after {@code warmupDays} days; never above {@code dailyCap}.
     */
    public int capOn(LocalDate today) {
        if (warmupDays <= 0) {
            return dailyCap;
        }
        long days = firstSendOn == null ? 0 : Math.max(0, today.toEpochDay() - firstSendOn.toEpochDay());
        if (days >= warmupDays) {
            return dailyCap;
        }
        long ramp = warmupStartCap + (long) (dailyCap - warmupStartCap) * days / warmupDays;
        return (int) Math.max(1, Math.min(dailyCap, ramp));
    }

    /** Sends already made on {@code today} (0 after a day rollover). */
    public int sentOn(LocalDate today) {
        return today.equals(day) ? sentOnDay : 0;
    }

    /** How many more sends the daily cap allows on {@code today}. */
    public int remainingOn(LocalDate today) {
        return Math.max(0, capOn(today) - sentOn(today));
    }

    /**
     * How many slots are due at {@code now}: the slot at {@code nextSendAt} and every later one up to {@code now},
     * at most {@code maxBurst}; 0 when the first is not due yet.
     */
    public int dueSlots(Instant now, int maxBurst) {
        if (now.isBefore(nextSendAt)) {
            return 0;
        }
        long behind = Duration.between(nextSendAt, now).toNanos() / interval().toNanos();
        return (int) Math.min(Math.max(1, maxBurst), behind + 1);
    }

    /** The most slots to catch up at once: {@code burstWindow} worth of the pace, at least one. */
    public int maxBurst(Duration burstWindow) {
        return (int) Math.max(1, burstWindow.toNanos() / interval().toNanos());
    }

    /** Ticks later than this many burst windows count as an outage: what fell due before is not caught up. */
    static final int MAX_LATENESS_IN_BURSTS = 10;

    /**
     * How far back a tick at {@code now} may catch up: the burst window plus the time since the dispatcher's
     * previous tick (at most {@value #MAX_LATENESS_IN_BURSTS} burst windows). Slots that fell due while ticks were
     * late (a slow round, a stalled machine) are all sent, so the long-run rate stays the pace; a session that had
     * nothing to send banks no more than the burst window, because the previous tick was recent; after an outage of
     * the dispatcher the catch-up stays bounded.
     */
    public static Duration catchUpWindow(Duration burstWindow, @Nullable Instant previousTick, Instant now) {
        if (previousTick == null || !previousTick.isBefore(now)) {
            return burstWindow;
        }
        Duration late = Duration.between(previousTick, now);
        Duration maxLate = burstWindow.multipliedBy(MAX_LATENESS_IN_BURSTS);
        return burstWindow.plus(late.compareTo(maxLate) > 0 ? maxLate : late);
    }

    /**
     * When the slot after {@code sent} sends is due: the schedule never lags more than {@code maxBurst} slots behind
     * {@code now} (no catch-up storm after idling), then advances by one jittered interval per send.
     */
    public Instant nextAfter(int sent, Instant now, int maxBurst, RandomGenerator random) {
        Instant start = nextSendAt;
        Instant earliest = now.minus(interval().multipliedBy(Math.max(1, maxBurst) - 1L));
        if (start.isBefore(earliest)) {
            start = earliest;
        }
        long nanos = 0;
        for (int i = 0; i < sent; i++) {
            nanos += jittered(random);
        }
        return start.plusNanos(nanos);
    }

    /** One interval with jitter: uniform in {@code interval × [1 - j, 1 + j]}, mean exactly {@code interval}. */
    long jittered(RandomGenerator random) {
        long base = interval().toNanos();
        if (jitterPercent == 0) {
            return base;
        }
        double factor = 1 + (random.nextDouble() * 2 - 1) * jitterPercent / 100.0;
        return Math.max(0, Math.round(base * factor));
    }

    /** The start of the day after {@code today} in {@code zone}: when a session that hit its cap may send again. */
    public static Instant startOfNextDay(LocalDate today, ZoneId zone) {
        return today.plusDays(1).atStartOfDay(zone).toInstant();
    }
}
