package dev.conversa.campaign.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.conversa.campaign.stats.RecipientOutcome.Outcome;
import dev.conversa.campaign.stats.StatisticsBatch.ContactKey;
import dev.conversa.campaign.stats.StatisticsBatch.Counts;
import dev.conversa.campaign.stats.StatisticsBatch.DayKey;
import dev.conversa.campaign.stats.StatisticsBatch.GroupDayKey;
import dev.conversa.campaign.stats.StatisticsBatch.ReasonKey;

class StatisticsBatchTest {

    private static final String TENANT = "tenant-a";
    private static final UUID CAMPAIGN = UUID.randomUUID();

    private static RecipientOutcome outcome(UUID recipient, String phone, Outcome outcome, String zone, Instant at,
            String... groups) {
        return new RecipientOutcome(TENANT, CAMPAIGN, recipient, null, phone, List.of(groups), outcome, null, zone,
                at);
    }

    @Test
    void outcomesCountOnTheCalendarDayOfTheCampaignsTimeZone() {
        Instant at = Instant.parse("2026-03-01T02:00:00Z");
        StatisticsBatch batch = StatisticsBatch.of(List.of(
                outcome(UUID.randomUUID(), "+595981000001", Outcome.SENT, "UTC", at),
                outcome(UUID.randomUUID(), "+595981000002", Outcome.SENT, "America/Asuncion", at),
                outcome(UUID.randomUUID(), "+595981000003", Outcome.SENT, "Asia/Tokyo",
                        Instant.parse("2026-02-28T16:00:00Z"))));

        assertThat(batch.daily()).containsExactly(
                entry(new DayKey(TENANT, LocalDate.parse("2026-02-28")), new Counts(1, 0, 0, 0)),
                entry(new DayKey(TENANT, LocalDate.parse("2026-03-01")), new Counts(2, 0, 0, 0)));
    }

    @Test
    void anUnknownTimeZoneCountsInUtc() {
        assertThat(StatisticsBatch.dayOf(Instant.parse("2026-03-01T02:00:00Z"), "Mars/Olympus"))
                .isEqualTo(LocalDate.parse("2026-03-01"));
    }

    @Test
    void theSameOutcomeOfARecipientTwiceInACallCountsOnce() {
        UUID recipient = UUID.randomUUID();
        Instant at = Instant.parse("2026-05-10T12:00:00Z");
        RecipientOutcome sent = outcome(recipient, "+595981000001", Outcome.SENT, "UTC", at, "vip");
        StatisticsBatch batch = StatisticsBatch.of(List.of(sent, sent,
                outcome(recipient, "+595981000001", Outcome.DELIVERED, "UTC", at.plusSeconds(5), "vip"),
                outcome(recipient, "+595981000001", Outcome.DELIVERED, "UTC", at.plusSeconds(6), "vip")));

        Counts expected = new Counts(1, 1, 0, 0);
        assertThat(batch.daily().values()).containsExactly(expected);
        assertThat(batch.groups().values()).containsExactly(expected);
        assertThat(batch.contacts().values()).singleElement()
                .satisfies(contact -> assertThat(contact.counts()).isEqualTo(expected));
    }

    @Test
    void aRecipientCountsInEachOfItsGroupsAndWithoutGroupsInTheEmptyGroup() {
        Instant at = Instant.parse("2026-05-10T12:00:00Z");
        StatisticsBatch batch = StatisticsBatch.of(List.of(
                outcome(UUID.randomUUID(), "+595981000001", Outcome.SENT, "UTC", at, "vip", "norte", "vip", " "),
                outcome(UUID.randomUUID(), "+595981000002", Outcome.FAILED, "UTC", at)));

        LocalDate day = LocalDate.parse("2026-05-10");
        assertThat(batch.groups()).containsExactly(
                entry(new GroupDayKey(TENANT, day, ""), new Counts(0, 0, 0, 1)),
                entry(new GroupDayKey(TENANT, day, "norte"), new Counts(1, 0, 0, 0)),
                entry(new GroupDayKey(TENANT, day, "vip"), new Counts(1, 0, 0, 0)));
        assertThat(batch.daily()).containsExactly(entry(new DayKey(TENANT, day), new Counts(1, 0, 0, 1)));
    }

    @Test
    void contactsAddUpAcrossRecipientsKeepingTheLatestTimeAndAKnownContactId() {
        UUID contact = UUID.randomUUID();
        Instant early = Instant.parse("2026-05-10T12:00:00Z");
        Instant late = Instant.parse("2026-05-11T12:00:00Z");
        StatisticsBatch batch = StatisticsBatch.of(List.of(
                new RecipientOutcome(TENANT, CAMPAIGN, UUID.randomUUID(), contact, "+595981000001", List.of(),
                        Outcome.SENT, null, "UTC", late),
                new RecipientOutcome(TENANT, UUID.randomUUID(), UUID.randomUUID(), null, "+595981000001", List.of(),
                        Outcome.SENT, null, "UTC", early)));

        assertThat(batch.contacts()).hasSize(1);
        StatisticsBatch.ContactCounts counts = batch.contacts().get(new ContactKey(TENANT, "+595981000001"));
        assertThat(counts.counts()).isEqualTo(new Counts(2, 0, 0, 0));
        assertThat(counts.contactId()).isEqualTo(contact);
        assertThat(counts.lastAt()).isEqualTo(late);
    }

    @Test
    void failuresAreCountedByReasonWithMissingReasonsAsUnknownAndLongOnesCut() {
        Instant at = Instant.parse("2026-05-10T12:00:00Z");
        String longReason = "x".repeat(500);
        List<RecipientOutcome> outcomes = new ArrayList<>();
        for (String reason : new String[] {"number not on WhatsApp", "number not on WhatsApp", null, " ",
            longReason}) {
            outcomes.add(new RecipientOutcome(TENANT, CAMPAIGN, UUID.randomUUID(), null, "+5959810" + outcomes.size(),
                    List.of(), Outcome.FAILED, reason, "UTC", at));
        }

        assertThat(StatisticsBatch.of(outcomes).failureReasons()).containsExactly(
                entry(new ReasonKey(TENANT, CAMPAIGN, "number not on WhatsApp"), 2L),
                entry(new ReasonKey(TENANT, CAMPAIGN, "unknown"), 2L),
                entry(new ReasonKey(TENANT, CAMPAIGN, "x".repeat(StatisticsBatch.MAX_REASON_LENGTH)), 1L));
    }

    private static <K, V> java.util.Map.Entry<K, V> entry(K key, V value) {
        return java.util.Map.entry(key, value);
    }
}
