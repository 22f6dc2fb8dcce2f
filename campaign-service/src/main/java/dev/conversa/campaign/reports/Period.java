package dev.conversa.campaign.reports;

import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import dev.conversa.web.problem.ApiException;

/** An inclusive range of calendar days a dashboard reads; at most {@value #MAX_DAYS} days. */
record Period(LocalDate from, LocalDate to) {

    static final int MAX_DAYS = 366;

    long days() {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    /** {@code from}..{@code to} as asked, or the current month of {@code zone} when both are absent (400 otherwise). */
    static Period of(@Nullable LocalDate from, @Nullable LocalDate to, ZoneId zone, Clock clock) {
        if (from == null && to == null) {
            YearMonth month = YearMonth.now(clock.withZone(zone));
            return new Period(month.atDay(1), month.atEndOfMonth());
        }
        if (from == null || to == null) {
            throw ApiException.badRequest("from and to go together (YYYY-MM-DD); give both or neither");
        }
        if (to.isBefore(from)) {
            throw ApiException.badRequest("to must not be before from");
        }
        Period period = new Period(from, to);
        if (period.days() > MAX_DAYS) {
            throw ApiException.badRequest("the range may span at most " + MAX_DAYS + " days");
        }
        return period;
    }

    /** The IANA time zone of a request ({@code UTC} when absent); 400 when unknown. */
    static ZoneId zone(@Nullable String timeZone) {
        if (timeZone == null || timeZone.isBlank()) {
            return ZoneId.of("UTC");
        }
        try {
            return ZoneId.of(timeZone.strip());
        }
        catch (DateTimeException e) {
            throw ApiException.badRequest("timeZone must be an IANA time zone such as America/Asuncion");
        }
    }
}
