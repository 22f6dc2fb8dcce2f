package dev.conversa.campaign.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class PacingTest {

    private static final Instant T0 = Instant.parse("2026-03-02T12:00:00Z");
    private static final LocalDate DAY = LocalDate.parse("2026-03-02");

    private static Pacing pacing(int perMinute, int jitter, int cap, int warmupDays, int warmupStart,
            LocalDate firstSendOn, Instant next, LocalDate day, int sentOnDay) {
        return new Pacing(perMinute, jitter, cap, warmupDays, warmupStart, firstSendOn, next, day, sentOnDay);
    }

    @Test
    void intervalIsSixtySecondsOverThePace() {
        assertThat(pacing(20, 0, 1000, 0, 50, null, T0, null, 0).interval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(pacing(6000, 0, 1000, 0, 50, null, T0, null, 0).interval()).isEqualTo(Duration.ofMillis(10));
    }

    @Test
    void nothingIsDueBeforeTheNextSlotAndCatchUpIsBoundedByTheBurst() {
        Pacing pacing = pacing(60, 0, 1000, 0, 50, null, T0, null, 0);
        assertThat(pacing.dueSlots(T0.minusMillis(1), 5)).isZero();
        assertThat(pacing.dueSlots(T0, 5)).isEqualTo(1);
        assertThat(pacing.dueSlots(T0.plusMillis(2500), 5)).isEqualTo(3);
        assertThat(pacing.dueSlots(T0.plus(Duration.ofHours(1)), 5)).isEqualTo(5);
        assertThat(pacing.maxBurst(Duration.ofSeconds(1))).isEqualTo(1);
        assertThat(pacing(600, 0, 1000, 0, 50, null, T0, null, 0).maxBurst(Duration.ofSeconds(1))).isEqualTo(10);
    }

    @Test
    void withoutJitterTheNextSlotIsOneIntervalPerSend() {
        Pacing pacing = pacing(60, 0, 1000, 0, 50, null, T0, null, 0);
        assertThat(pacing.nextAfter(3, T0.plusMillis(2500), 5, new SplittableRandom(1)))
                .isEqualTo(T0.plusSeconds(3));
    }

    @Test
    void anIdleSessionDoesNotBankSlots() {
        Pacing pacing = pacing(60, 0, 1000, 0, 50, null, T0, null, 0);
        Instant now = T0.plus(Duration.ofHours(2));
        // at most a burst (3) behind now: sending 3 puts the next slot one interval after now
        assertThat(pacing.nextAfter(3, now, 3, new SplittableRandom(1))).isEqualTo(now.plusSeconds(1));
    }

    @Test
    void slotsThatFellDueWhileTicksWereLateAreAllSentSoTheRateStaysThePace() {
        // 300/min (one slot every 200 ms), ticks every 200 ms, one tick in ten two seconds late
        Duration burst = Duration.ofSeconds(1);
        Pacing pacing = pacing(300, 20, 1_000_000, 0, 1, null, T0, null, 0);
        SplittableRandom random = new SplittableRandom(7);
        Instant previous = null;
        Instant now = T0;
        int sent = 0;
        for (int tick = 0; tick < 3000; tick++) {
            now = now.plusMillis(tick % 10 == 9 ? 2000 : 200);
            int maxBurst = pacing.maxBurst(Pacing.catchUpWindow(burst, previous, now));
            previous = now;
            int slots = pacing.dueSlots(now, maxBurst);
            if (slots > 0) {
                pacing = pacing(300, 20, 1_000_000, 0, 1, null, pacing.nextAfter(slots, now, maxBurst, random), null,
                        0);
                sent += slots;
            }
        }
        double expected = Duration.between(T0, now).toMillis() / 200.0;
        assertThat(sent).isCloseTo((int) expected, org.assertj.core.data.Offset.offset((int) (expected * 0.005)));
    }

    @Test
    void aSessionThatHadNothingToSendBanksNoMoreThanTheBurstWindowAndOneTick() {
        Pacing pacing = pacing(60, 0, 1000, 0, 50, null, T0, null, 0);
        Instant now = T0.plus(Duration.ofHours(2));
        Duration window = Pacing.catchUpWindow(Duration.ofSeconds(3), now.minusMillis(200), now);

        assertThat(window).isEqualTo(Duration.ofMillis(3200));
        assertThat(pacing.dueSlots(now, pacing.maxBurst(window))).isEqualTo(3);
        assertThat(Pacing.catchUpWindow(Duration.ofSeconds(3), null, now)).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void afterAnOutageOfTheDispatcherTheCatchUpStaysBounded() {
        Instant now = T0.plus(Duration.ofHours(1));

        assertThat(Pacing.catchUpWindow(Duration.ofSeconds(1), T0, now))
                .isEqualTo(Duration.ofSeconds(1 + Pacing.MAX_LATENESS_IN_BURSTS));
    }

    @Test
    void jitterStaysWithinItsBoundsAndAveragesToThePace() {
        Pacing pacing = pacing(60, 30, 1000, 0, 50, null, T0, null, 0);
        SplittableRandom random = new SplittableRandom(42);
        long base = Duration.ofSeconds(1).toNanos();
        long total = 0;
        int n = 100_000;
        for (int i = 0; i < n; i++) {
            long gap = pacing.jittered(random);
            assertThat(gap).isBetween((long) (base * 0.7) - 1, (long) (base * 1.3) + 1);
            total += gap;
        }
        double meanSeconds = total / (double) n / 1e9;
        assertThat(meanSeconds).isCloseTo(1.0, org.assertj.core.data.Offset.offset(0.005));
    }

    @Test
    void warmupCapRampsLinearlyFromTheStartCapToTheDailyCap() {
        LocalDate first = DAY;
        Pacing pacing = pacing(60, 0, 1000, 10, 100, first, T0, null, 0);
        assertThat(pacing.capOn(first)).isEqualTo(100);
        assertThat(pacing.capOn(first.plusDays(1))).isEqualTo(190);
        assertThat(pacing.capOn(first.plusDays(5))).isEqualTo(550);
        assertThat(pacing.capOn(first.plusDays(10))).isEqualTo(1000);
        assertThat(pacing.capOn(first.plusDays(400))).isEqualTo(1000);
        // a number that never sent is on its first warm-up day
        assertThat(pacing(60, 0, 1000, 10, 100, null, T0, null, 0).capOn(DAY)).isEqualTo(100);
        // no warm-up, or a start cap above the cap
        assertThat(pacing(60, 0, 1000, 0, 100, first, T0, null, 0).capOn(first)).isEqualTo(1000);
        assertThat(pacing(60, 0, 40, 10, 100, first, T0, null, 0).capOn(first)).isEqualTo(40);
    }

    @Test
    void theDailyCountRollsOverAtMidnight() {
        Pacing pacing = pacing(60, 0, 10, 0, 50, DAY, T0, DAY, 10);
        assertThat(pacing.remainingOn(DAY)).isZero();
        assertThat(pacing.sentOn(DAY.plusDays(1))).isZero();
        assertThat(pacing.remainingOn(DAY.plusDays(1))).isEqualTo(10);
        assertThat(Pacing.startOfNextDay(DAY, ZoneId.of("America/Mexico_City")))
                .isEqualTo(Instant.parse("2026-03-03T06:00:00Z"));
    }
}
