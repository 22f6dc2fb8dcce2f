package dev.conversa.campaign.reports;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/** The JSON bodies of {@code /api/v1/dashboard/*}. */
final class DashboardViews {

    private DashboardViews() {
    }

    /**
     * The month's KPIs.
     *
     * @param errors       recipients that failed for good
     * @param successRate  delivered (delivered or read) / sent, 0..1, 4 decimals; null when nothing was sent
     * @param dailyAverage sent / daysElapsed, 2 decimals
     * @param daysElapsed  days of the month up to and including today (in {@code timeZone})
     */
    record CurrentMonth(String month, String timeZone, LocalDate from, LocalDate to, long sent, long delivered,
            long read, long errors, @Nullable Double successRate, double dailyAverage, int daysElapsed) {
    }

    record Day(LocalDate day, long sent, long delivered, long read, long failed) {

        static Day of(LocalDate day, Figures figures) {
            return new Day(day, figures.sent(), figures.delivered(), figures.read(), figures.failed());
        }
    }

    record Timeline(LocalDate from, LocalDate to, List<Day> days) {
    }

    /** @param group the group's name; null for recipients without a group */
    record Group(@Nullable String group, long sent, long delivered, long read, long failed) {
    }

    record Groups(LocalDate from, LocalDate to, List<Group> groups) {
    }

    /** @param name the contact's current name, when the contact still exists */
    record Contact(String phone, @Nullable UUID contactId, @Nullable String name, long sent, long delivered,
            long read, long failed, Instant lastAt) {
    }

    record Contacts(List<Contact> contacts) {
    }
}
