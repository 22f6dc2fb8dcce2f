package dev.conversa.campaign.stats;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.conversa.campaign.stats.RecipientOutcome.Outcome;

/**
 * A list of outcomes added up per row of each statistics table, in memory, so that one upsert per table applies the
 * whole list. The same outcome of the same recipient twice in a list counts once. Every map is sorted by its key:
 * upserts lock rows in that order, so two concurrent batches lock in the same order and cannot deadlock.
 */
final class StatisticsBatch {

    private static final Logger log = LoggerFactory.getLogger(StatisticsBatch.class);

    /** The group row of recipients without a group. */
    static final String NO_GROUP = "";
    /** The reason row of failures that carried none. */
    static final String UNKNOWN_REASON = "unknown";
    /** Longer reasons are cut, so free-text errors cannot grow the table without bound. */
    static final int MAX_REASON_LENGTH = 200;

    /** Counters of one row. */
    record Counts(long sent, long delivered, long read, long failed) {

        static final Counts ZERO = new Counts(0, 0, 0, 0);

        Counts plus(Outcome outcome) {
            return switch (outcome) {
                case SENT -> new Counts(sent + 1, delivered, read, failed);
                case DELIVERED -> new Counts(sent, delivered + 1, read, failed);
                case READ -> new Counts(sent, delivered, read + 1, failed);
                case FAILED -> new Counts(sent, delivered, read, failed + 1);
            };
        }
    }

    record DayKey(String tenantId, LocalDate day) {

        static final Comparator<DayKey> ORDER = Comparator.comparing(DayKey::tenantId).thenComparing(DayKey::day);
    }

    record GroupDayKey(String tenantId, LocalDate day, String group) {

        static final Comparator<GroupDayKey> ORDER = Comparator.comparing(GroupDayKey::tenantId)
                .thenComparing(GroupDayKey::day).thenComparing(GroupDayKey::group);
    }

    record ContactKey(String tenantId, String phone) {

        static final Comparator<ContactKey> ORDER = Comparator.comparing(ContactKey::tenantId)
                .thenComparing(ContactKey::phone);
    }

    /** A contact's counters in this batch, its contact id (the last one known) and its latest outcome's time. */
    record ContactCounts(Counts counts, @Nullable UUID contactId, Instant lastAt) {
    }

    record ReasonKey(String tenantId, UUID campaignId, String reason) {

        static final Comparator<ReasonKey> ORDER = Comparator.comparing(ReasonKey::tenantId)
                .thenComparing(ReasonKey::campaignId).thenComparing(ReasonKey::reason);
    }

    private record OutcomeKey(UUID recipientId, Outcome outcome) {
    }

    private final SortedMap<DayKey, Counts> daily = new TreeMap<>(DayKey.ORDER);
    private final SortedMap<GroupDayKey, Counts> groups = new TreeMap<>(GroupDayKey.ORDER);
    private final SortedMap<ContactKey, ContactCounts> contacts = new TreeMap<>(ContactKey.ORDER);
    private final SortedMap<ReasonKey, Long> failureReasons = new TreeMap<>(ReasonKey.ORDER);

    private StatisticsBatch() {
    }

    static StatisticsBatch of(List<RecipientOutcome> outcomes) {
        StatisticsBatch batch = new StatisticsBatch();
        Set<OutcomeKey> seen = new HashSet<>();
        for (RecipientOutcome outcome : outcomes) {
            if (seen.add(new OutcomeKey(outcome.recipientId(), outcome.outcome()))) {
                batch.add(outcome);
            }
        }
        return batch;
    }

    private void add(RecipientOutcome outcome) {
        Outcome what = outcome.outcome();
        LocalDate day = dayOf(outcome.at(), outcome.timeZone());
        daily.merge(new DayKey(outcome.tenantId(), day), Counts.ZERO.plus(what), StatisticsBatch::sum);
        for (String group : groupsOf(outcome.groups())) {
            groups.merge(new GroupDayKey(outcome.tenantId(), day, group), Counts.ZERO.plus(what),
                    StatisticsBatch::sum);
        }
        contacts.merge(new ContactKey(outcome.tenantId(), outcome.phone()),
                new ContactCounts(Counts.ZERO.plus(what), outcome.contactId(), outcome.at()),
                (a, b) -> new ContactCounts(sum(a.counts(), b.counts()),
                        b.contactId() != null ? b.contactId() : a.contactId(),
                        a.lastAt().isAfter(b.lastAt()) ? a.lastAt() : b.lastAt()));
        if (what == Outcome.FAILED) {
            failureReasons.merge(new ReasonKey(outcome.tenantId(), outcome.campaignId(),
                    reasonOf(outcome.failureReason())), 1L, Long::sum);
        }
    }

    /** The calendar day of {@code at} in {@code timeZone}; UTC when the zone is not a valid IANA id. */
    static LocalDate dayOf(Instant at, String timeZone) {
        ZoneId zone;
        try {
            zone = ZoneId.of(timeZone);
        }
        catch (DateTimeException e) {
            log.warn("Counting an outcome in UTC: '{}' is not a time zone", timeZone);
            zone = ZoneOffset.UTC;
        }
        return LocalDate.ofInstant(at, zone);
    }

    static Set<String> groupsOf(List<String> names) {
        Set<String> groups = new LinkedHashSet<>();
        for (String name : names) {
            if (name != null && !name.isBlank()) {
                groups.add(name.strip());
            }
        }
        return groups.isEmpty() ? Set.of(NO_GROUP) : groups;
    }

    static String reasonOf(@Nullable String reason) {
        if (reason == null || reason.isBlank()) {
            return UNKNOWN_REASON;
        }
        String stripped = reason.strip();
        return stripped.length() <= MAX_REASON_LENGTH ? stripped : stripped.substring(0, MAX_REASON_LENGTH);
    }

    private static Counts sum(Counts a, Counts b) {
        return new Counts(a.sent() + b.sent(), a.delivered() + b.delivered(), a.read() + b.read(),
                a.failed() + b.failed());
    }

    SortedMap<DayKey, Counts> daily() {
        return daily;
    }

    SortedMap<GroupDayKey, Counts> groups() {
        return groups;
    }

    SortedMap<ContactKey, ContactCounts> contacts() {
        return contacts;
    }

    SortedMap<ReasonKey, Long> failureReasons() {
        return failureReasons;
    }

    boolean isEmpty() {
        return daily.isEmpty();
    }
}
