package dev.conversa.campaign.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.campaign.campaigns.CampaignCounters;
import dev.conversa.campaign.campaigns.CampaignFixtures;
import dev.conversa.campaign.campaigns.MovableClock;
import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SendPriority;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TopicRecords;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The dispatcher on real PostgreSQL and Kafka: pace, pause, window, daily cap, statuses, retries, crash safety. */
@ConversaIntegrationTest
@Import(DispatchIntegrationTest.Overrides.class)
class DispatchIntegrationTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TestConfiguration
    static class Overrides {

        @Bean
        @Primary
        MovableClock movableClock() {
            return new MovableClock();
        }

        @Bean
        @Primary
        FlakySendCommands flakySendCommands(EventPublisher publisher, JsonMapper json, MeterRegistry meters) {
            return new FlakySendCommands(publisher, json, meters);
        }
    }

    /** Fails the next publish, as a crash between the claim's commit and the publish would lose it. */
    static class FlakySendCommands extends SendCommands {

        final AtomicBoolean failNext = new AtomicBoolean();

        FlakySendCommands(EventPublisher publisher, JsonMapper json, MeterRegistry meters) {
            super(publisher, json, meters);
        }

        @Override
        public Mono<Void> publish(List<Queued> queued) {
            if (!queued.isEmpty() && failNext.compareAndSet(true, false)) {
                return Mono.error(new IllegalStateException("simulated crash before publish"));
            }
            return super.publish(queued);
        }
    }

    @Autowired
    WebTestClient web;

    @Autowired
    RealServers servers;

    @Autowired
    MovableClock clock;

    @Autowired
    FlakySendCommands commands;

    @Autowired
    RecipientStatusRecorder recorder;

    @Autowired
    DispatchTicker ticker;

    @Autowired
    DatabaseClient db;

    @Autowired
    MeterRegistry meters;

    @Autowired
    TransactionalOperator transaction;

    @Autowired
    CampaignCounters counters;

    @Autowired
    DispatchProperties properties;

    CampaignFixtures fixtures;
    String tenant;

    @BeforeEach
    void setUp() {
        fixtures = new CampaignFixtures(web, servers);
        tenant = "tenant-dispatch-" + UUID.randomUUID();
    }

    @AfterEach
    void tearDown() {
        clock.reset();
        commands.failNext.set(false);
        if (!ticker.isRunning()) {
            ticker.start();
        }
    }

    @Test
    void dispatcherPublishesSendRequestsAtTheSessionsPace() {
        UUID session = UUID.randomUUID();
        fixtures.pacing(tenant, session, 600, 20, 10_000);
        fixtures.contacts(tenant, "pace", 40);
        UUID campaign = fixtures.create(tenant, CampaignFixtures.body("Pace", "pace", List.of(session)));
        fixtures.control(tenant, campaign, "start");

        List<ConsumerRecord<String, byte[]>> records = TopicRecords.await(Topics.WA_COMMANDS, session.toString(), 40);
        List<SendMessageRequested> sends = records.stream()
                .map(record -> TopicRecords.payload(record, SendMessageRequested.class)).toList();

        SendMessageRequested first = sends.getFirst();
        assertThat(TopicRecords.header(records.getFirst(), "ce_type")).isEqualTo(EventTypes.MESSAGE_SEND_REQUESTED);
        assertThat(first.priority()).isEqualTo(SendPriority.BULK);
        assertThat(first.correlationId()).isEqualTo(campaign.toString());
        assertThat(first.requestedBy()).isEqualTo("campaign:" + campaign);
        assertThat(first.idempotencyKey()).matches("campaign:[0-9a-f-]{36}:1");
        assertThat(first.text()).startsWith("Hola Contact ").endsWith(" de tu ciudad");
        assertThat(first.to()).startsWith("+54911");
        // 10 per second configured: the 30th send is due 29 intervals after the start (the slots are counted
        // from the start, so a late tick catches up but never runs ahead of the pace)
        // (distinct keys: unacknowledged commands are published again after republish-after, 2 s in tests)
        List<Instant> times = sends.stream().collect(Collectors.toMap(SendMessageRequested::idempotencyKey,
                SendMessageRequested::requestedAt, (a, b) -> a)).values().stream().sorted().toList();
        Instant started = ((java.sql.Timestamp) servers.database().queryRow(
                "SELECT started_at FROM campaign.campaigns WHERE id = ?", campaign).get("started_at")).toInstant();
        double seconds = Duration.between(started, times.get(29)).toMillis() / 1000.0;
        double rate = 29 / seconds;
        assertThat(times).hasSizeGreaterThanOrEqualTo(30);
        assertThat(rate).as("sends per second").isBetween(6.0, 11.5);
        fixtures.control(tenant, campaign, "cancel");
    }

    @Test
    void pausedCampaignSendsNothingUntilResumed() throws InterruptedException {
        UUID session = UUID.randomUUID();
        fixtures.pacing(tenant, session, 240, 0, 10_000);
        fixtures.contacts(tenant, "pause", 30);
        UUID campaign = fixtures.create(tenant, CampaignFixtures.body("Pause", "pause", List.of(session)));
        fixtures.control(tenant, campaign, "start");
        await().atMost(TIMEOUT).until(() -> queued(campaign) >= 2);

        fixtures.control(tenant, campaign, "pause");
        Thread.sleep(300);
        long atPause = queued(campaign);
        Thread.sleep(1500);
        assertThat(queued(campaign)).isEqualTo(atPause);

        fixtures.control(tenant, campaign, "resume");
        await().atMost(TIMEOUT).until(() -> queued(campaign) > atPause + 2);
        List<String> types = TopicRecords.types(TopicRecords.await(Topics.CRM_CAMPAIGN_EVENTS, campaign, 3));
        assertThat(types).contains(EventTypes.CAMPAIGN_STARTED, EventTypes.CAMPAIGN_PAUSED,
                EventTypes.CAMPAIGN_RESUMED);
        fixtures.control(tenant, campaign, "cancel");
    }

    @Test
    void sendingWindowAndDailyCapAreRespected() throws InterruptedException {
        // Monday 2030-03-04 05:00 in Buenos Aires (UTC-3); the window opens at 09:00
        clock.set(Instant.parse("2030-03-04T08:00:00Z"));
        UUID session = UUID.randomUUID();
        fixtures.pacing(tenant, session, 600, 0, 3);
        fixtures.contacts(tenant, "window", 5);
        Map<String, Object> body = new HashMap<>(CampaignFixtures.body("Window", "window", List.of(session)));
        body.put("schedule", Map.of("timeZone", "America/Argentina/Buenos_Aires",
                "window", Map.of("start", "09:00", "end", "18:00"), "days", List.of(1, 2, 3, 4, 5)));
        UUID campaign = fixtures.create(tenant, body);
        fixtures.control(tenant, campaign, "start");
        Thread.sleep(1000);
        assertThat(queued(campaign)).as("outside the window").isZero();

        clock.set(Instant.parse("2030-03-04T13:00:00Z"));
        await().atMost(TIMEOUT).until(() -> queued(campaign) == 3);
        Thread.sleep(1000);
        assertThat(queued(campaign)).as("daily cap").isEqualTo(3);

        // Tuesday 10:00 in Buenos Aires: a new day, a new cap
        clock.set(Instant.parse("2030-03-05T13:00:00Z"));
        await().atMost(TIMEOUT).until(() -> queued(campaign) == 5);
    }

    private double outcomes(String outcome) {
        Counter counter = meters.find("conversa.campaign.outcomes").tag("outcome", outcome).counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    void statusesMoveRecipientsForwardOnlyAndTheLastOneFinishesTheCampaign() {
        UUID session = UUID.randomUUID();
        fixtures.pacing(tenant, session, 600, 0, 10_000);
        fixtures.contacts(tenant, "status", 3);
        UUID campaign = fixtures.create(tenant, CampaignFixtures.body("Status", "status", List.of(session)));
        fixtures.control(tenant, campaign, "start");
        await().atMost(TIMEOUT).until(() -> queued(campaign) == 3);
        List<String> keys = keys(campaign);

        double readBefore = outcomes("read");
        // out of order: read before sent; delivered after read
        apply(status(keys.get(0), DeliveryStatus.READ, null), status(keys.get(0), DeliveryStatus.SENT, null));
        apply(status(keys.get(0), DeliveryStatus.DELIVERED, null));
        apply(status(keys.get(1), DeliveryStatus.ACCEPTED, null), status(keys.get(1), DeliveryStatus.DELIVERED, null));
        // another sender's status is ignored
        apply(status("user-key-1", DeliveryStatus.FAILED, false));

        assertThat(statusOf(keys.get(0))).isEqualTo("read");
        assertThat(statusOf(keys.get(1))).isEqualTo("delivered");
        // the read recipient counts once as read, whatever the order its statuses came in
        assertThat(outcomes("read") - readBefore).isEqualTo(1);
        assertThat(statusOf(keys.get(2))).isEqualTo("queued");
        Map<String, Object> row = servers.database().queryRow("SELECT pending, queued, sent, delivered, read, "
                + "status FROM campaign.campaigns WHERE id = ?", campaign);
        assertThat(row).containsEntry("queued", 1L).containsEntry("delivered", 1L).containsEntry("read", 1L)
                .containsEntry("status", "running");

        apply(status(keys.get(2), DeliveryStatus.SENT, null));
        assertThat(servers.database().queryString("SELECT status FROM campaign.campaigns WHERE id = ?", campaign))
                .isEqualTo("finished");
        assertThat(TopicRecords.types(TopicRecords.await(Topics.CRM_CAMPAIGN_EVENTS, campaign, 2)))
                .contains(EventTypes.CAMPAIGN_FINISHED);
    }

    @Test
    void retryableFailuresAreRetriedWithBackoffUpToMaxAttemptsAndOthersFailAtOnce() {
        UUID session = UUID.randomUUID();
        fixtures.pacing(tenant, session, 600, 0, 10_000);
        fixtures.contacts(tenant, "retry", 2);
        UUID campaign = fixtures.create(tenant, CampaignFixtures.body("Retry", "retry", List.of(session)));
        fixtures.control(tenant, campaign, "start");
        await().atMost(TIMEOUT).until(() -> queued(campaign) == 2);
        List<String> keys = keys(campaign);
        String retried = keys.get(0);
        String permanent = keys.get(1);
        UUID retriedId = UUID.fromString(retried.split(":")[1]);

        apply(status(retried, DeliveryStatus.FAILED, true), status(permanent, DeliveryStatus.FAILED, false));

        assertThat(statusOf(permanent)).isEqualTo("failed");
        assertThat(servers.database().queryString("SELECT failure_reason FROM campaign.recipients WHERE "
                + "idempotency_key = ?", permanent)).isEqualTo("Message undeliverable");
        assertThat(servers.database().queryString("SELECT status FROM campaign.recipients WHERE id = ?", retriedId))
                .isEqualTo("pending");
        // back-off (1 s in tests), then attempt 2 with a new key
        String second = "campaign:" + retriedId + ":2";
        await().atMost(TIMEOUT).until(() -> second.equals(servers.database().queryString(
                "SELECT idempotency_key FROM campaign.recipients WHERE id = ?", retriedId)));
        Map<String, Object> timing = servers.database().queryRow("SELECT queued_at - updated_at AS gap, "
                + "failed_at FROM campaign.recipients WHERE id = ?", retriedId);
        assertThat(timing.get("failed_at")).isNull();
        // a late status of attempt 1 does not move attempt 2
        apply(status(retried, DeliveryStatus.DELIVERED, null));
        assertThat(statusOf(second)).isEqualTo("queued");
        // attempt 2 of 2 fails for good even when retryable
        apply(status(second, DeliveryStatus.FAILED, true));
        assertThat(statusOf(second)).isEqualTo("failed");
        assertThat(servers.database().queryString("SELECT status FROM campaign.campaigns WHERE id = ?", campaign))
                .isEqualTo("finished");
        assertThat(fixtures.count("SELECT failed FROM campaign.campaigns WHERE id = ?", campaign)).isEqualTo(2);
    }

    @Test
    void restartMidCampaignLosesAndDuplicatesNothing() {
        UUID session = UUID.randomUUID();
        fixtures.pacing(tenant, session, 600, 0, 10_000);
        fixtures.contacts(tenant, "crash", 6);
        commands.failNext.set(true);
        UUID campaign = fixtures.create(tenant, CampaignFixtures.body("Crash", "crash", List.of(session)));
        fixtures.control(tenant, campaign, "start");
        await().atMost(TIMEOUT).until(() -> queued(campaign) == 6);
        assertThat(commands.failNext).isFalse();

        // the sweeper publishes the lost command again after republish-after (2 s in tests)
        await().atMost(TIMEOUT).until(() -> distinctKeys(session).size() == 6);
        List<SendMessageRequested> sends = sends(session);
        Map<String, Set<UUID>> messageIdsByKey = sends.stream().collect(Collectors.groupingBy(
                SendMessageRequested::idempotencyKey,
                Collectors.mapping(SendMessageRequested::messageId, Collectors.toSet())));
        assertThat(messageIdsByKey).hasSize(6);
        assertThat(messageIdsByKey.values()).allSatisfy(ids -> assertThat(ids).hasSize(1));
        assertThat(messageIdsByKey.keySet()).allSatisfy(key -> assertThat(key).endsWith(":1"));
        assertThat(fixtures.count("SELECT count(*) FROM campaign.recipients WHERE campaign_id = ? AND attempt = 1",
                campaign)).isEqualTo(6);
        fixtures.control(tenant, campaign, "cancel");
    }

    @Test
    void twoDispatchersNeverClaimTheSameRecipient() {
        ticker.stop();
        UUID session = UUID.randomUUID();
        fixtures.pacing(tenant, session, 6000, 50, 100_000);
        fixtures.contacts(tenant, "race", 150);
        UUID campaign = fixtures.create(tenant, CampaignFixtures.body("Race", "race", List.of(session)));
        fixtures.control(tenant, campaign, "start");
        Dispatcher one = new Dispatcher(db, transaction, counters, commands, properties, clock);
        Dispatcher two = new Dispatcher(db, transaction, counters, commands, properties, clock);

        Instant deadline = Instant.now().plus(TIMEOUT);
        int claimed = 0;
        while (claimed < 150 && Instant.now().isBefore(deadline)) {
            claimed += Flux.merge(one.tick(), two.tick(), one.tick(), two.tick()).reduce(0, Integer::sum)
                    .block(TIMEOUT);
        }

        assertThat(claimed).isEqualTo(150);
        assertThat(fixtures.count("SELECT count(*) FROM campaign.recipients WHERE campaign_id = ? AND attempt = 1 "
                + "AND status = 'queued'", campaign)).isEqualTo(150);
        assertThat(fixtures.count("SELECT queued FROM campaign.campaigns WHERE id = ?", campaign)).isEqualTo(150);
        await().atMost(TIMEOUT).until(() -> distinctKeys(session).size() == 150);
        assertThat(sends(session)).hasSize(150);
    }

    private long queued(UUID campaign) {
        return fixtures.count("SELECT count(*) FROM campaign.recipients WHERE campaign_id = ? AND attempt > 0",
                campaign);
    }

    private List<String> keys(UUID campaign) {
        List<String> keys = new java.util.ArrayList<>();
        try (var connection = servers.database().connect(); var query = connection.prepareStatement(
                "SELECT idempotency_key FROM campaign.recipients WHERE campaign_id = ? AND status = 'queued' "
                        + "ORDER BY phone")) {
            query.setObject(1, campaign);
            try (var rows = query.executeQuery()) {
                while (rows.next()) {
                    keys.add(rows.getString(1));
                }
            }
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
        return keys;
    }

    private String statusOf(String key) {
        return servers.database().queryString("SELECT status FROM campaign.recipients WHERE idempotency_key = ?",
                key);
    }

    private MessageStatusChanged status(String key, DeliveryStatus status, Boolean retryable) {
        boolean failed = status == DeliveryStatus.FAILED;
        return new MessageStatusChanged(tenant, UUID.randomUUID(), null, "wamid." + key, key, "corr", "+54911",
                status, failed ? 131026 : null, failed ? "Message undeliverable" : null, retryable, clock.instant());
    }

    private void apply(MessageStatusChanged... statuses) {
        recorder.apply(List.of(statuses)).block(TIMEOUT);
    }

    private static List<SendMessageRequested> sends(UUID session) {
        return TopicRecords.read(Topics.WA_COMMANDS, session.toString(), 1, Duration.ofSeconds(3)).stream()
                .map(record -> TopicRecords.payload(record, SendMessageRequested.class)).toList();
    }

    private static Set<String> distinctKeys(UUID session) {
        return sends(session).stream().map(SendMessageRequested::idempotencyKey).collect(Collectors.toSet());
    }
}
