package dev.conversa.campaign.reports;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.conversa.campaign.reports.CampaignReport.Statuses;
import dev.conversa.campaign.reports.DashboardViews.CurrentMonth;
import dev.conversa.campaign.reports.DashboardViews.Day;
import dev.conversa.web.problem.ApiException;

/** The arithmetic of the dashboard and report figures. */
class DashboardFiguresTest {

    @Test
    void successRateIsDeliveredOverSentAndDailyAverageIsSentOverDaysElapsed() {
        YearMonth month = YearMonth.of(2026, 5);
        Period period = new Period(month.atDay(1), month.atEndOfMonth());
        CurrentMonth figures = DashboardController.currentMonth(month, ZoneId.of("UTC"), period, 3,
                new Figures(300, 200, 50, 40));

        assertThat(figures.sent()).isEqualTo(300);
        assertThat(figures.errors()).isEqualTo(40);
        assertThat(figures.successRate()).isEqualTo(0.6667);
        assertThat(figures.dailyAverage()).isEqualTo(100.0);
        assertThat(figures.month()).isEqualTo("2026-05");

        CurrentMonth empty = DashboardController.currentMonth(month, ZoneId.of("UTC"), period, 1, Figures.ZERO);
        assertThat(empty.successRate()).isNull();
        assertThat(empty.dailyAverage()).isZero();
        // deliveries of last month's sends can outnumber this month's sends: the rate stays a rate
        assertThat(DashboardController.currentMonth(month, ZoneId.of("UTC"), period, 1, new Figures(2, 5, 0, 0))
                .successRate()).isEqualTo(1.0);
    }

    @Test
    void timelineHasEveryDayOfThePeriodWithZerosWhereNothingHappened() {
        Period period = new Period(LocalDate.parse("2026-02-27"), LocalDate.parse("2026-03-02"));
        List<Day> days = DashboardController.zeroFilled(period,
                Map.of(LocalDate.parse("2026-02-28"), new Figures(5, 4, 3, 1)));

        assertThat(days).extracting(Day::day).containsExactly(LocalDate.parse("2026-02-27"),
                LocalDate.parse("2026-02-28"), LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-02"));
        assertThat(days).extracting(Day::sent).containsExactly(0L, 5L, 0L, 0L);
        assertThat(days.get(1).failed()).isEqualTo(1);
    }

    @Test
    void periodsSpanAtMost366DaysAndDefaultToTheCurrentMonthOfTheTimeZone() {
        Clock clock = Clock.fixed(Instant.parse("2026-03-01T02:00:00Z"), ZoneId.of("UTC"));
        LocalDate from = LocalDate.parse("2024-01-01");

        assertThat(Period.of(from, from.plusDays(365), ZoneId.of("UTC"), clock).days()).isEqualTo(366);
        assertThatThrownBy(() -> Period.of(from, from.plusDays(366), ZoneId.of("UTC"), clock))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Period.of(from, from.minusDays(1), ZoneId.of("UTC"), clock))
                .isInstanceOf(ApiException.class);
        assertThatThrownBy(() -> Period.of(from, null, ZoneId.of("UTC"), clock)).isInstanceOf(ApiException.class);
        assertThat(Period.of(null, null, ZoneId.of("UTC"), clock))
                .isEqualTo(new Period(LocalDate.parse("2026-03-01"), LocalDate.parse("2026-03-31")));
        assertThat(Period.of(null, null, ZoneId.of("America/Asuncion"), clock))
                .isEqualTo(new Period(LocalDate.parse("2026-02-01"), LocalDate.parse("2026-02-28")));
        assertThatThrownBy(() -> Period.zone("Mars/Olympus")).isInstanceOf(ApiException.class);
    }

    @Test
    void funnelCountsEachRecipientAtEveryStageItReached() {
        CampaignReport report = CampaignReport.of(java.util.UUID.randomUUID(), "c", "running", null, null, 100,
                new Statuses(10, 5, 20, 30, 15, 12, 8), List.of());

        assertThat(report.funnel()).isEqualTo(new CampaignReport.Funnel(100, 82, 65, 45, 15));
        assertThat(report.rates().delivery()).isEqualTo(0.6923);
        assertThat(report.rates().read()).isEqualTo(0.3333);
    }
}
