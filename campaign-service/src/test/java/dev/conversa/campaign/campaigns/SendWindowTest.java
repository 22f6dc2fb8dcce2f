package dev.conversa.campaign.campaigns;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;

import org.junit.jupiter.api.Test;

class SendWindowTest {

    private static final Set<Integer> EVERY_DAY = Set.of(1, 2, 3, 4, 5, 6, 7);
    private static final ZoneId BUENOS_AIRES = ZoneId.of("America/Argentina/Buenos_Aires");

    @Test
    void daytimeWindowIsReadInTheCampaignsTimeZone() {
        SendWindow window = new SendWindow(BUENOS_AIRES, LocalTime.of(9, 0), LocalTime.of(20, 0), EVERY_DAY);
        // 11:59 UTC is 08:59 in Buenos Aires (UTC-3)
        assertThat(window.allows(Instant.parse("2026-03-02T11:59:00Z"))).isFalse();
        assertThat(window.allows(Instant.parse("2026-03-02T12:00:00Z"))).isTrue();
        assertThat(window.allows(Instant.parse("2026-03-02T22:59:59Z"))).isTrue();
        // the end is exclusive
        assertThat(window.allows(Instant.parse("2026-03-02T23:00:00Z"))).isFalse();
    }

    @Test
    void overnightWindowBelongsToTheDayItOpened() {
        // Friday only, 22:00-06:00 in UTC
        SendWindow window = new SendWindow(ZoneId.of("UTC"), LocalTime.of(22, 0), LocalTime.of(6, 0), Set.of(5));
        assertThat(window.allows(Instant.parse("2026-03-06T23:00:00Z"))).as("Friday 23:00").isTrue();
        assertThat(window.allows(Instant.parse("2026-03-07T02:00:00Z"))).as("Saturday 02:00").isTrue();
        assertThat(window.allows(Instant.parse("2026-03-07T06:00:00Z"))).as("Saturday 06:00").isFalse();
        assertThat(window.allows(Instant.parse("2026-03-06T02:00:00Z"))).as("Friday 02:00").isFalse();
        assertThat(window.allows(Instant.parse("2026-03-06T12:00:00Z"))).as("Friday noon").isFalse();
        // Monday's morning part belongs to Sunday
        SendWindow sunday = new SendWindow(ZoneId.of("UTC"), LocalTime.of(22, 0), LocalTime.of(6, 0), Set.of(7));
        assertThat(sunday.allows(Instant.parse("2026-03-09T03:00:00Z"))).as("Monday 03:00").isTrue();
    }

    @Test
    void daysAreCheckedInTheCampaignsTimeZoneNotInUtc() {
        // Monday only, all day, in Tokyo (UTC+9): Sunday 16:00 UTC is Monday 01:00 in Tokyo
        SendWindow window = new SendWindow(ZoneId.of("Asia/Tokyo"), null, null, Set.of(1));
        assertThat(window.allows(Instant.parse("2026-03-01T16:00:00Z"))).isTrue();
        assertThat(window.allows(Instant.parse("2026-03-01T14:00:00Z"))).isFalse();
    }

    @Test
    void windowFollowsTheWallClockAcrossDaylightSavingChanges() {
        SendWindow window = new SendWindow(ZoneId.of("America/New_York"), LocalTime.of(9, 0), LocalTime.of(17, 0),
                EVERY_DAY);
        // before DST (EST, UTC-5): 09:00 local is 14:00 UTC
        assertThat(window.allows(Instant.parse("2026-03-06T13:30:00Z"))).isFalse();
        assertThat(window.allows(Instant.parse("2026-03-06T14:00:00Z"))).isTrue();
        // after DST starts on 2026-03-08 (EDT, UTC-4): 09:00 local is 13:00 UTC
        assertThat(window.allows(Instant.parse("2026-03-09T13:30:00Z"))).isTrue();
        assertThat(window.allows(Instant.parse("2026-03-09T21:00:00Z"))).isFalse();
        // an overnight window on the night the clocks spring forward (02:00 -> 03:00)
        SendWindow night = new SendWindow(ZoneId.of("America/New_York"), LocalTime.of(1, 30), LocalTime.of(2, 30),
                EVERY_DAY);
        assertThat(night.allows(Instant.parse("2026-03-08T06:45:00Z"))).as("01:45 EST").isTrue();
        assertThat(night.allows(Instant.parse("2026-03-08T07:15:00Z"))).as("03:15 EDT").isFalse();
    }

    @Test
    void noWindowMeansAllDayOnTheAllowedDays() {
        SendWindow window = new SendWindow(ZoneId.of("UTC"), null, null, Set.of(6, 7));
        assertThat(window.allows(Instant.parse("2026-03-07T00:00:00Z"))).isTrue();
        assertThat(window.allows(Instant.parse("2026-03-09T12:00:00Z"))).isFalse();
    }
}
