package dev.conversa.campaign.reports;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.campaign.reports.DashboardViews.Contacts;
import dev.conversa.campaign.reports.DashboardViews.CurrentMonth;
import dev.conversa.campaign.reports.DashboardViews.Day;
import dev.conversa.campaign.reports.DashboardViews.Groups;
import dev.conversa.campaign.reports.DashboardViews.Timeline;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Mono;

/**
 * {@code /api/v1/dashboard}: the caller's tenant's campaign figures, for supervisors and admins (agents get 403).
 * Every answer is read from the statistics tables that {@code StatisticsStore} keeps up to date.
 */
@RestController
@RequestMapping("/api/v1/dashboard")
class DashboardController {

    static final int MAX_CONTACTS = 100;
    static final int MAX_GROUPS = 1000;

    private final DashboardQueries queries;
    private final Clock clock;

    /** Uses the service's {@link Clock} bean where there is one (tests fix it), the system clock otherwise. */
    DashboardController(DashboardQueries queries, ObjectProvider<Clock> clock) {
        this.queries = queries;
        this.clock = clock.getIfAvailable(Clock::systemUTC);
    }

    @GetMapping("/current-month")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<CurrentMonth> currentMonth(@RequestParam(required = false) @Nullable String timeZone,
            ConversaPrincipal caller) {
        return Mono.fromCallable(() -> Period.zone(timeZone)).flatMap(zone -> {
            LocalDate today = LocalDate.now(clock.withZone(zone));
            YearMonth month = YearMonth.from(today);
            Period period = new Period(month.atDay(1), month.atEndOfMonth());
            return queries.total(caller.tenantId(), period)
                    .map(figures -> currentMonth(month, zone, period, today.getDayOfMonth(), figures));
        });
    }

    static CurrentMonth currentMonth(YearMonth month, ZoneId zone, Period period, int daysElapsed, Figures figures) {
        Double successRate = figures.sent() == 0 ? null
                : Math.min(1.0, round(figures.delivered() / (double) figures.sent(), 4));
        double dailyAverage = round(figures.sent() / (double) daysElapsed, 2);
        return new CurrentMonth(month.toString(), zone.getId(), period.from(), period.to(), figures.sent(),
                figures.delivered(), figures.read(), figures.failed(), successRate, dailyAverage, daysElapsed);
    }

    @GetMapping("/timeline")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<Timeline> timeline(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
            @Nullable LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to,
            @RequestParam(required = false) @Nullable String timeZone, ConversaPrincipal caller) {
        return Mono.fromCallable(() -> Period.of(from, to, Period.zone(timeZone), clock))
                .flatMap(period -> queries.daily(caller.tenantId(), period)
                        .map(rows -> new Timeline(period.from(), period.to(), zeroFilled(period, rows))));
    }

    static List<Day> zeroFilled(Period period, Map<LocalDate, Figures> rows) {
        List<Day> days = new ArrayList<>((int) period.days());
        for (LocalDate day = period.from(); !day.isAfter(period.to()); day = day.plusDays(1)) {
            days.add(Day.of(day, rows.getOrDefault(day, Figures.ZERO)));
        }
        return days;
    }

    @GetMapping("/by-group")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<Groups> byGroup(@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE)
            @Nullable LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) @Nullable LocalDate to,
            @RequestParam(required = false) @Nullable String timeZone,
            @RequestParam(defaultValue = "100") int limit, ConversaPrincipal caller) {
        return Mono.fromCallable(() -> {
            checkLimit(limit, MAX_GROUPS);
            return Period.of(from, to, Period.zone(timeZone), clock);
        }).flatMap(period -> queries.groups(caller.tenantId(), period, limit).collectList()
                .map(groups -> new Groups(period.from(), period.to(), groups)));
    }

    @GetMapping("/by-contact")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<Contacts> byContact(@RequestParam(defaultValue = "10") int limit, ConversaPrincipal caller) {
        return Mono.fromRunnable(() -> checkLimit(limit, MAX_CONTACTS))
                .then(queries.topContacts(caller.tenantId(), limit).collectList())
                .map(Contacts::new);
    }

    private static void checkLimit(int limit, int max) {
        if (limit < 1 || limit > max) {
            throw ApiException.badRequest("limit must be between 1 and " + max);
        }
    }

    private static double round(double value, int decimals) {
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_UP).doubleValue();
    }
}
