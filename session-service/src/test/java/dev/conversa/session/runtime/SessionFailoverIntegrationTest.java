package dev.conversa.session.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import dev.conversa.events.command.SendPriority;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.session.SessionServiceApplication;
import dev.conversa.session.ownership.CommandPartitionOwnership;
import dev.conversa.simulator.WhatsAppSimulator;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.ServiceProcess;
import dev.conversa.testsupport.TestKafka;
import tools.jackson.databind.JsonNode;

/**
 * Two session-service instances share the sessions by {@code wa.commands} partitions; one is killed (SIGKILL, as a
 * crashed machine: no revocation, no lease release, no goodbye to WhatsApp). The survivor gets the partitions after
 * Kafka's session timeout, waits for the dead owner's leases to expire and reconnects its sessions from the stored
 * auth state. The simulator's ground truth shows what a customer would: no device replaced (440), no message sent
 * twice, none lost.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.stream.bindings.handleCommand-in-0.group=" + SessionFailoverIntegrationTest.GROUP,
        "spring.cloud.stream.bindings.handleCommand-in-0.consumer.auto-startup=true",
        "spring.cloud.stream.kafka.bindings.handleCommand-in-0.consumer.start-offset=earliest",
        "spring.cloud.stream.kafka.bindings.handleCommand-in-0.consumer.configuration.session.timeout.ms=6000",
        "spring.cloud.stream.kafka.bindings.handleCommand-in-0.consumer.configuration.heartbeat.interval.ms=1000",
        "conversa.session.ownership.lease-ttl=" + SessionFailoverIntegrationTest.LEASE_TTL,
        "conversa.session.pacing.linked.per-second=2",
        "conversa.session.pacing.linked.burst=1",
        "conversa.session.pacing.linked.jitter-min=0ms",
        "conversa.session.pacing.linked.jitter-max=0ms",
        "conversa.session.outbound.reconcile-delay=2s",
})
class SessionFailoverIntegrationTest {

    static final String GROUP = "session-service-failover";
    static final String LEASE_TTL = "6s";
    private static final Logger log = LoggerFactory.getLogger(SessionFailoverIntegrationTest.class);
    private static final int SESSIONS = 8;
    private static final int SENDS_PER_SESSION = 4;

    static final WhatsAppSimulator SIMULATOR = RuntimeFixtures.startSimulator("0s");

    @DynamicPropertySource
    static void simulator(DynamicPropertyRegistry registry) {
        registry.add("conversa.session.linked.url", () -> SIMULATOR.linkedDeviceUrl().toString());
    }

    @AfterAll
    static void stopSimulator() {
        SIMULATOR.close();
    }

    @Autowired
    WebTestClient web;

    @Autowired
    EventPublisher publisher;

    @Autowired
    CommandPartitionOwnership ownership;

    @Autowired
    SessionRuntime runtime;

    @Autowired
    RealServers servers;

    @Test
    void killedInstancesSessionsReconnectOnTheSurvivorWithoutReplacementsDuplicatesOrLosses() {
        RuntimeFixtures fixtures = new RuntimeFixtures(web, SIMULATOR, publisher, "tenant-failover");
        RuntimeFixtures.awaitOwnershipOfEveryPartition(ownership);
        try (ServiceProcess other = ServiceProcess.start(SessionServiceApplication.class.getName(),
                otherInstance(), List.of("-Xmx384m", "-XX:TieredStopAtLevel=1"),
                Path.of("target", "failover-instance-b.log"), Duration.ofSeconds(90))) {
            await().atMost(RuntimeFixtures.WAIT).until(() -> {
                int mine = ownership.owned().size();
                return mine > 0 && mine < TestKafka.PARTITIONS;
            });

            List<RuntimeFixtures.Linked> linked = new ArrayList<>();
            for (int i = 0; i < SESSIONS; i++) {
                linked.add(fixtures.linkNewNumber("failover-" + i));
            }
            Set<UUID> onSurvivor = runtime.liveSessions().stream().map(LiveSession::sessionId)
                    .collect(Collectors.toSet());
            List<RuntimeFixtures.Linked> onVictim = linked.stream()
                    .filter(session -> !onSurvivor.contains(session.sessionId()))
                    .toList();
            assertThat(onVictim).as("sessions owned by the instance to kill").isNotEmpty();
            Map<String, Long> loginsBefore = new HashMap<>();
            onVictim.forEach(session -> loginsBefore.put(session.deviceId(),
                    fixtures.device(session.deviceId()).path("logins").asLong()));

            Map<String, RuntimeFixtures.Linked> sends = new LinkedHashMap<>();
            for (RuntimeFixtures.Linked session : linked) {
                for (int n = 0; n < SENDS_PER_SESSION; n++) {
                    String key = "failover-" + session.sessionId() + "-" + n;
                    fixtures.publish(fixtures.text(session.sessionId(), key, "+54911555" + (10000 + n),
                            "mensaje " + n, SendPriority.BULK));
                    sends.put(key, session);
                }
            }

            await().atMost(RuntimeFixtures.WAIT).until(() -> onVictim.stream().anyMatch(session ->
                    fixtures.truthOf(session.businessNumber()).path("outboundAccepted").asLong() > 0));
            Instant killedAt = Instant.now();
            other.kill();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (RuntimeFixtures.Linked session : onVictim) {
                    JsonNode device = fixtures.device(session.deviceId());
                    assertThat(device.path("online").asBoolean()).as("device %s online", session.deviceId())
                            .isTrue();
                    assertThat(device.path("logins").asLong()).isGreaterThan(loginsBefore.get(session.deviceId()));
                }
            });
            log.info("Failover: {} session(s) of the killed instance reconnected {} ms after the kill",
                    onVictim.size(), Duration.between(killedAt, Instant.now()).toMillis());
            assertThat(ownership.owned()).hasSize(TestKafka.PARTITIONS);

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                for (Map.Entry<String, RuntimeFixtures.Linked> send : sends.entrySet()) {
                    String clientRef = servers.database().queryString(
                            "SELECT id::text FROM session.outbound_messages WHERE idempotency_key = ?",
                            send.getKey());
                    assertThat(clientRef).as("row of %s", send.getKey()).isNotNull();
                    assertThat(fixtures.sendsOf(send.getValue().businessNumber(), clientRef))
                            .as("sends of %s", send.getKey()).isEqualTo(1);
                }
            });
            for (RuntimeFixtures.Linked session : linked) {
                assertThat(fixtures.device(session.deviceId()).path("replacements").asLong())
                        .as("440 replacements of %s", session.deviceId()).isZero();
            }
            await().atMost(RuntimeFixtures.WAIT).untilAsserted(() -> {
                for (RuntimeFixtures.Linked session : linked) {
                    List<MessageStatusChanged> statuses = fixtures.statuses(session.sessionId(), SENDS_PER_SESSION);
                    assertThat(statuses.stream().filter(status -> status.status() == DeliveryStatus.ACCEPTED)
                            .map(MessageStatusChanged::idempotencyKey).distinct())
                            .as("accepted sends of %s", session.sessionId()).hasSize(SENDS_PER_SESSION);
                }
            });
            assertThat(fixtures.simulatorGet("/sim/truth/duplicates?limit=10").path("keys").asLong()).isZero();
        }
    }

    /** The second instance: the same servers, group and simulator; the test profile is not active there. */
    private Map<String, Object> otherInstance() {
        Map<String, Object> properties = new LinkedHashMap<>(servers.properties());
        properties.put("spring.cloud.stream.bindings.handleCommand-in-0.group", GROUP);
        properties.put("spring.cloud.stream.kafka.bindings.handleCommand-in-0.consumer.configuration.session.timeout.ms",
                6000);
        properties.put(
                "spring.cloud.stream.kafka.bindings.handleCommand-in-0.consumer.configuration.heartbeat.interval.ms",
                1000);
        properties.put("conversa.session.ownership.lease-ttl", LEASE_TTL);
        properties.put("conversa.session.linked.url", SIMULATOR.linkedDeviceUrl());
        properties.put("conversa.session.pacing.linked.per-second", 2);
        properties.put("conversa.session.pacing.linked.burst", 1);
        properties.put("conversa.session.pacing.linked.jitter-min", "0ms");
        properties.put("conversa.session.pacing.linked.jitter-max", "0ms");
        properties.put("conversa.session.outbound.reconcile-delay", "2s");
        properties.put("logging.level.root", "INFO");
        return properties;
    }
}
