package dev.conversa.campaign.reports;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.campaign.stats.RecipientOutcome;
import dev.conversa.campaign.stats.RecipientOutcome.Outcome;
import dev.conversa.campaign.stats.StatisticsStore;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Statistics recorded through {@link StatisticsStore} on real PostgreSQL, read back through the dashboard, report and
 * CSV endpoints. Each test works in a tenant of its own.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = "conversa.stats.export-page-size=3")
class DashboardsApiIntegrationTest {

    @Autowired
    WebTestClient web;

    @Autowired
    RealServers servers;

    @Autowired
    StatisticsStore store;

    @Autowired
    TransactionalOperator transaction;

    record Day(LocalDate day, long sent, long delivered, long read, long failed) {
    }

    record Timeline(LocalDate from, LocalDate to, List<Day> days) {
    }

    record Group(String group, long sent, long delivered, long read, long failed) {
    }

    record Groups(LocalDate from, LocalDate to, List<Group> groups) {
    }

    record Contact(String phone, UUID contactId, String name, long sent, long delivered, long read, long failed,
            Instant lastAt) {
    }

    record Contacts(List<Contact> contacts) {
    }

    private static String tenant() {
        return "tenant-" + UUID.randomUUID();
    }

    private static String supervisor(String tenant) {
        return TestJwts.get().token("sup-1", tenant, "supervisor");
    }

    private static Consumer<HttpHeaders> auth(String token) {
        return headers -> headers.setBearerAuth(token);
    }

    private static RecipientOutcome outcome(String tenant, UUID campaign, UUID recipient, String phone,
            Outcome outcome, Instant at, String... groups) {
        return new RecipientOutcome(tenant, campaign, recipient, null, phone, List.of(groups), outcome, null, "UTC",
                at);
    }

    private void record(RecipientOutcome... outcomes) {
        store.record(List.of(outcomes)).as(transaction::transactional).block();
    }

    private WebTestClient.ResponseSpec get(String token, String uri) {
        return web.get().uri(uri).headers(auth(token)).exchange();
    }

    @Test
    void currentMonthAddsUpEveryRecordedOutcomeOfTheMonth() {
        String tenant = tenant();
        UUID campaign = UUID.randomUUID();
        Instant now = Instant.now();
        UUID[] recipients = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        record(outcome(tenant, campaign, recipients[0], "+595981000001", Outcome.SENT, now),
                outcome(tenant, campaign, recipients[1], "+595981000002", Outcome.SENT, now),
                outcome(tenant, campaign, recipients[2], "+595981000003", Outcome.SENT, now),
                outcome(tenant, campaign, recipients[0], "+595981000001", Outcome.DELIVERED, now));
        // a second call adds to the same rows
        record(outcome(tenant, campaign, recipients[3], "+595981000004", Outcome.SENT, now),
                outcome(tenant, campaign, recipients[1], "+595981000002", Outcome.DELIVERED, now),
                outcome(tenant, campaign, recipients[2], "+595981000003", Outcome.DELIVERED, now),
                outcome(tenant, campaign, recipients[2], "+595981000003", Outcome.READ, now),
                outcome(tenant, campaign, recipients[3], "+595981000004", Outcome.FAILED, now));
        // another tenant's figures never mix in
        record(outcome(tenant(), campaign, UUID.randomUUID(), "+595981000001", Outcome.SENT, now));

        int dayOfMonth = LocalDate.ofInstant(now, ZoneOffset.UTC).getDayOfMonth();
        get(supervisor(tenant), "/api/v1/dashboard/current-month?timeZone=UTC").expectStatus().isOk()
                .expectBody()
                .jsonPath("$.month").isEqualTo(LocalDate.ofInstant(now, ZoneOffset.UTC).toString().substring(0, 7))
                .jsonPath("$.sent").isEqualTo(4)
                .jsonPath("$.delivered").isEqualTo(3)
                .jsonPath("$.read").isEqualTo(1)
                .jsonPath("$.errors").isEqualTo(1)
                .jsonPath("$.successRate").isEqualTo(0.75)
                .jsonPath("$.daysElapsed").isEqualTo(dayOfMonth)
                .jsonPath("$.dailyAverage").isEqualTo(Math.round(400.0 / dayOfMonth) / 100.0);
        // an admin sees the same; a tenant without statistics sees zeros
        get(TestJwts.get().token("admin-1", tenant, "admin"), "/api/v1/dashboard/current-month").expectStatus()
                .isOk().expectBody().jsonPath("$.timeZone").isEqualTo("UTC").jsonPath("$.sent").isEqualTo(4);
        get(supervisor(tenant()), "/api/v1/dashboard/current-month").expectStatus().isOk().expectBody()
                .jsonPath("$.sent").isEqualTo(0).jsonPath("$.successRate").doesNotExist();
    }

    @Test
    void timelineListsEveryDayOfTheRangeWithZerosAndCountsDaysInTheCampaignsTimeZone() {
        String tenant = tenant();
        UUID campaign = UUID.randomUUID();
        record(outcome(tenant, campaign, UUID.randomUUID(), "+595981000001", Outcome.SENT,
                Instant.parse("2025-01-10T15:00:00Z")),
                outcome(tenant, campaign, UUID.randomUUID(), "+595981000002", Outcome.FAILED,
                        Instant.parse("2025-01-10T16:00:00Z")),
                // 02:00 UTC on the 13th is still the 12th in Asunción
                new RecipientOutcome(tenant, campaign, UUID.randomUUID(), null, "+595981000003", List.of(),
                        Outcome.SENT, null, "America/Asuncion", Instant.parse("2025-01-13T02:00:00Z")));

        Timeline timeline = get(supervisor(tenant), "/api/v1/dashboard/timeline?from=2025-01-09&to=2025-01-13")
                .expectStatus().isOk().expectBody(Timeline.class).returnResult().getResponseBody();

        assertThat(timeline.days()).containsExactly(
                new Day(LocalDate.parse("2025-01-09"), 0, 0, 0, 0),
                new Day(LocalDate.parse("2025-01-10"), 1, 0, 0, 1),
                new Day(LocalDate.parse("2025-01-11"), 0, 0, 0, 0),
                new Day(LocalDate.parse("2025-01-12"), 1, 0, 0, 0),
                new Day(LocalDate.parse("2025-01-13"), 0, 0, 0, 0));
        assertThat(get(supervisor(tenant), "/api/v1/dashboard/timeline?from=2024-01-14&to=2025-01-13")
                .expectStatus().isOk().expectBody(Timeline.class).returnResult().getResponseBody().days())
                .hasSize(366);
    }

    @Test
    void byGroupSumsThePeriodPerGroupMostSentFirst() {
        String tenant = tenant();
        UUID campaign = UUID.randomUUID();
        Instant day1 = Instant.parse("2025-03-01T12:00:00Z");
        Instant day2 = Instant.parse("2025-03-02T12:00:00Z");
        UUID both = UUID.randomUUID();
        record(outcome(tenant, campaign, both, "+595981000001", Outcome.SENT, day1, "norte", "vip"),
                outcome(tenant, campaign, both, "+595981000001", Outcome.DELIVERED, day2, "norte", "vip"),
                outcome(tenant, campaign, UUID.randomUUID(), "+595981000002", Outcome.SENT, day2, "norte"),
                outcome(tenant, campaign, UUID.randomUUID(), "+595981000003", Outcome.FAILED, day2),
                // outside the period
                outcome(tenant, campaign, UUID.randomUUID(), "+595981000004", Outcome.SENT,
                        Instant.parse("2025-03-03T12:00:00Z"), "vip"));

        Groups groups = get(supervisor(tenant), "/api/v1/dashboard/by-group?from=2025-03-01&to=2025-03-02")
                .expectStatus().isOk().expectBody(Groups.class).returnResult().getResponseBody();

        assertThat(groups.groups()).containsExactly(new Group("norte", 2, 1, 0, 0), new Group("vip", 1, 1, 0, 0),
                new Group(null, 0, 0, 0, 1));
        assertThat(get(supervisor(tenant), "/api/v1/dashboard/by-group?from=2025-03-01&to=2025-03-02&limit=1")
                .expectBody(Groups.class).returnResult().getResponseBody().groups())
                .containsExactly(new Group("norte", 2, 1, 0, 0));
    }

    @Test
    void byContactListsTheMostMessagedContactsFirstUpToTheLimit() {
        String tenant = tenant();
        UUID contact = UUID.randomUUID();
        servers.database().update("INSERT INTO campaign.contacts (id, tenant_id, phone, name) VALUES (?, ?, ?, ?)",
                contact, tenant, "+595981000002", "Ana Pérez");
        Instant at = Instant.parse("2025-04-01T12:00:00Z");
        List<RecipientOutcome> outcomes = new ArrayList<>();
        int[] sends = {1, 3, 2, 2};
        for (int c = 0; c < sends.length; c++) {
            for (int i = 0; i < sends[c]; i++) {
                outcomes.add(new RecipientOutcome(tenant, UUID.randomUUID(), UUID.randomUUID(),
                        c == 1 ? contact : null, "+59598100000" + (c + 1), List.of(), Outcome.SENT, null, "UTC",
                        at.plusSeconds(i)));
            }
        }
        store.record(outcomes).as(transaction::transactional).block();

        Contacts top = get(supervisor(tenant), "/api/v1/dashboard/by-contact?limit=3").expectStatus().isOk()
                .expectBody(Contacts.class).returnResult().getResponseBody();

        assertThat(top.contacts()).extracting(Contact::phone)
                .containsExactly("+595981000002", "+595981000003", "+595981000004");
        assertThat(top.contacts()).extracting(Contact::sent).containsExactly(3L, 2L, 2L);
        assertThat(top.contacts().getFirst().name()).isEqualTo("Ana Pérez");
        assertThat(top.contacts().getFirst().contactId()).isEqualTo(contact);
        assertThat(top.contacts().getFirst().lastAt()).isEqualTo(at.plusSeconds(2));
        assertThat(get(supervisor(tenant), "/api/v1/dashboard/by-contact").expectBody(Contacts.class)
                .returnResult().getResponseBody().contacts()).hasSize(4);
        assertThat(get(supervisor(tenant()), "/api/v1/dashboard/by-contact").expectBody(Contacts.class)
                .returnResult().getResponseBody().contacts()).isEmpty();
    }

    @Test
    void reportShowsTheFunnelFromTheCampaignCountersAndFailuresByReason() {
        String tenant = tenant();
        UUID campaign = campaign(tenant, "Promo otoño");
        servers.database().update("""
                UPDATE campaign.campaigns SET status = 'running', total = 100, pending = 10, queued = 5, sent = 20,
                       delivered = 30, read = 15, failed = 12, skipped = 8 WHERE id = ?""", campaign);
        Instant at = Instant.parse("2025-05-01T12:00:00Z");
        List<RecipientOutcome> failures = new ArrayList<>();
        for (String reason : new String[] {"not on WhatsApp", "rate limited", "not on WhatsApp", null}) {
            failures.add(new RecipientOutcome(tenant, campaign, UUID.randomUUID(), null,
                    "+5959810000" + failures.size(), List.of(), Outcome.FAILED, reason, "UTC", at));
        }
        store.record(failures).as(transaction::transactional).block();

        get(supervisor(tenant), "/api/v1/campaigns/" + campaign + "/report").expectStatus().isOk().expectBody()
                .jsonPath("$.name").isEqualTo("Promo otoño")
                .jsonPath("$.status").isEqualTo("running")
                .jsonPath("$.funnel.total").isEqualTo(100)
                .jsonPath("$.funnel.queued").isEqualTo(82)
                .jsonPath("$.funnel.sent").isEqualTo(65)
                .jsonPath("$.funnel.delivered").isEqualTo(45)
                .jsonPath("$.funnel.read").isEqualTo(15)
                .jsonPath("$.statuses.skipped").isEqualTo(8)
                .jsonPath("$.statuses.failed").isEqualTo(12)
                .jsonPath("$.failures.length()").isEqualTo(3)
                .jsonPath("$.failures[0].reason").isEqualTo("not on WhatsApp")
                .jsonPath("$.failures[0].count").isEqualTo(2)
                .jsonPath("$.failures[1].reason").isEqualTo("rate limited")
                .jsonPath("$.failures[2].reason").isEqualTo("unknown");

        String otherAdmin = TestJwts.get().token("admin-9", tenant(), "admin");
        notFound(get(otherAdmin, "/api/v1/campaigns/" + campaign + "/report"));
        notFound(get(supervisor(tenant), "/api/v1/campaigns/" + UUID.randomUUID() + "/report"));
    }

    @Test
    void resultsCsvStreamsEveryRecipientAcrossPagesInIdOrderWithEscaping() {
        String tenant = tenant();
        UUID campaign = campaign(tenant, "Export");
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            ids.add(UUID.randomUUID());
        }
        Collections.shuffle(ids);
        String[] names = {"Ana", "Pérez, Juan", "Say \"hi\"", "two\nlines", null, "Ñandú", "Zoe"};
        Timestamp sentAt = Timestamp.from(Instant.parse("2025-06-01T10:00:00Z"));
        for (int i = 0; i < ids.size(); i++) {
            servers.database().update("""
                    INSERT INTO campaign.recipients (id, campaign_id, tenant_id, phone, name, status, attempt, sent_at,
                                                     error_code, failure_reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""", ids.get(i), campaign, tenant, "+59598100000" + i,
                    names[i], i == 6 ? "failed" : "sent", 1, i == 6 ? null : sentAt, i == 6 ? 131026 : null,
                    i == 6 ? "not on WhatsApp, really" : null);
        }
        servers.database().update("""
                INSERT INTO campaign.recipients (id, campaign_id, tenant_id, phone, status, skip_reason)
                VALUES (?, ?, ?, '+595981999999', 'skipped', 'opted_out')""", UUID.randomUUID(),
                campaign(tenant, "Another"), tenant);

        WebTestClient.ResponseSpec response = get(supervisor(tenant), "/api/v1/campaigns/" + campaign
                + "/results.csv");
        response.expectStatus().isOk()
                .expectHeader().contentTypeCompatibleWith(new MediaType("text", "csv"))
                .expectHeader().value(HttpHeaders.CONTENT_DISPOSITION, value -> assertThat(value)
                        .startsWith("attachment").contains("campaign-" + campaign + "-results.csv"));
        String csv = new String(response.expectBody(byte[].class).returnResult().getResponseBody(),
                StandardCharsets.UTF_8);

        List<String> expected = new ArrayList<>();
        expected.add("phone,name,status,attempt,sent_at,delivered_at,read_at,failed_at,error_code,failure_reason,"
                + "skip_reason");
        // PostgreSQL orders uuids by their bytes, unsigned: as their text, not as UUID.compareTo
        List<UUID> sorted = ids.stream().sorted(java.util.Comparator.comparing(UUID::toString)).toList();
        String[] lines = new String[7];
        lines[0] = "+595981000000,Ana,sent,1,2025-06-01T10:00:00Z,,,,,,";
        lines[1] = "+595981000001,\"Pérez, Juan\",sent,1,2025-06-01T10:00:00Z,,,,,,";
        lines[2] = "+595981000002,\"Say \"\"hi\"\"\",sent,1,2025-06-01T10:00:00Z,,,,,,";
        lines[3] = "+595981000003,\"two\nlines\",sent,1,2025-06-01T10:00:00Z,,,,,,";
        lines[4] = "+595981000004,,sent,1,2025-06-01T10:00:00Z,,,,,,";
        lines[5] = "+595981000005,Ñandú,sent,1,2025-06-01T10:00:00Z,,,,,,";
        lines[6] = "+595981000006,Zoe,failed,1,,,,,131026,\"not on WhatsApp, really\",";
        for (UUID id : sorted) {
            expected.add(lines[ids.indexOf(id)]);
        }
        assertThat(csv).isEqualTo(String.join("\r\n", expected) + "\r\n");

        notFound(get(TestJwts.get().token("admin-9", tenant(), "admin"),
                "/api/v1/campaigns/" + campaign + "/results.csv"));
        // a campaign without recipients is the header alone
        assertThat(get(supervisor(tenant), "/api/v1/campaigns/" + campaign(tenant, "Empty") + "/results.csv")
                .expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody())
                .isEqualTo(expected.getFirst() + "\r\n");
    }

    @Test
    void agentsAreForbiddenEveryDashboardAndReport() {
        String tenant = tenant();
        UUID campaign = campaign(tenant, "Forbidden");
        String agent = TestJwts.get().token("agent-1", tenant, "agent");
        for (String uri : List.of("/api/v1/dashboard/current-month", "/api/v1/dashboard/timeline",
                "/api/v1/dashboard/by-group", "/api/v1/dashboard/by-contact",
                "/api/v1/campaigns/" + campaign + "/report", "/api/v1/campaigns/" + campaign + "/results.csv")) {
            get(agent, uri).expectStatus().isForbidden()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
    }

    @Test
    void badPeriodsLimitsAndTimeZonesAnswer400() {
        String token = supervisor(tenant());
        for (String uri : List.of("/api/v1/dashboard/timeline?from=2025-01-10&to=2025-01-09",
                "/api/v1/dashboard/timeline?from=2024-01-01&to=2025-01-01",
                "/api/v1/dashboard/timeline?from=2025-01-01",
                "/api/v1/dashboard/timeline?from=01/02/2025&to=2025-02-01",
                "/api/v1/dashboard/by-group?from=2025-02-30&to=2025-03-01",
                "/api/v1/dashboard/by-group?limit=0",
                "/api/v1/dashboard/current-month?timeZone=Mars/Olympus",
                "/api/v1/dashboard/by-contact?limit=0",
                "/api/v1/dashboard/by-contact?limit=101",
                "/api/v1/dashboard/by-contact?limit=ten",
                "/api/v1/campaigns/not-a-uuid/report")) {
            get(token, uri).expectStatus().isBadRequest()
                    .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        }
        get(token, "/api/v1/dashboard/by-contact?limit=100").expectStatus().isOk();
    }

    @Test
    void statisticsRollBackWithTheCallersTransaction() {
        String tenant = tenant();
        Mono<Void> failing = store.record(List.of(outcome(tenant, UUID.randomUUID(), UUID.randomUUID(),
                "+595981000001", Outcome.SENT, Instant.now(), "vip")))
                .then(Mono.<Void>error(new IllegalStateException("the recipients update failed")))
                .as(transaction::transactional);

        assertThat(failing.onErrorResume(IllegalStateException.class, e -> Mono.empty()).block()).isNull();
        for (String table : List.of("stats_daily", "stats_group_daily", "stats_contact")) {
            assertThat(servers.database().queryLong(
                    "SELECT count(*) FROM campaign." + table + " WHERE tenant_id = ?", tenant)).isZero();
        }
    }

    @Test
    void concurrentBatchesOverTheSameRowsNeitherDeadlockNorLoseCounts() {
        String tenant = tenant();
        UUID campaign = UUID.randomUUID();
        Instant at = Instant.parse("2025-07-01T12:00:00Z");
        int batches = 8;
        int phones = 40;
        List<List<RecipientOutcome>> work = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            List<RecipientOutcome> batch = new ArrayList<>();
            for (int p = 0; p < phones; p++) {
                batch.add(new RecipientOutcome(tenant, campaign, UUID.randomUUID(), null, "+5959810" + (1000 + p),
                        List.of("g" + (p % 5), "all"), p % 4 == 0 ? Outcome.FAILED : Outcome.SENT,
                        "reason " + (p % 3), "UTC", at.plusSeconds(86_400L * (p % 3))));
            }
            Collections.shuffle(batch);
            work.add(batch);
        }

        Flux.fromIterable(work)
                .flatMap(batch -> store.record(batch).as(transaction::transactional), batches)
                .blockLast();

        assertThat(servers.database().queryLong(
                "SELECT sum(sent + failed) FROM campaign.stats_daily WHERE tenant_id = ?", tenant))
                .isEqualTo((long) batches * phones);
        assertThat(servers.database().queryLong(
                "SELECT sum(sent + failed) FROM campaign.stats_group_daily WHERE tenant_id = ? AND group_name = 'all'",
                tenant)).isEqualTo((long) batches * phones);
        assertThat(servers.database().queryLong(
                "SELECT count(*) FROM campaign.stats_contact WHERE tenant_id = ? AND sent + failed = ?",
                tenant, (long) batches)).isEqualTo(phones);
        assertThat(servers.database().queryLong(
                "SELECT sum(count) FROM campaign.stats_failure_reasons WHERE tenant_id = ?", tenant))
                .isEqualTo((long) batches * (phones / 4));
    }

    private UUID campaign(String tenant, String name) {
        UUID id = UUID.randomUUID();
        servers.database().update("INSERT INTO campaign.campaigns (id, tenant_id, name) VALUES (?, ?, ?)", id, tenant,
                name);
        return id;
    }

    private static void notFound(WebTestClient.ResponseSpec response) {
        response.expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
    }
}
