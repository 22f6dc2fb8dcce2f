package dev.conversa.notification.webhooks;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.session.SessionStateChanged;
import dev.conversa.events.session.SessionStatus;
import dev.conversa.events.session.SessionTransport;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;

/**
 * notification-service whole on real servers, with its two durable consumers ({@code enqueueWebhookDeliveries},
 * {@code raiseAlerts}) in consumer groups of their own per test class, starting at the latest offset once every
 * partition is assigned; short retry delays; a GreenMail SMTP server in the JVM on a port of its own.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.stream.bindings.enqueueWebhookDeliveries-in-0.group=${conversa.test.group}-webhooks",
        "spring.cloud.stream.bindings.raiseAlerts-in-0.group=${conversa.test.group}-alerts",
        "spring.cloud.stream.kafka.bindings.enqueueWebhookDeliveries-in-0.consumer.start-offset=latest",
        "spring.cloud.stream.kafka.bindings.raiseAlerts-in-0.consumer.start-offset=latest",
        "spring.mail.host=127.0.0.1",
        "spring.mail.port=${conversa.test.smtp-port}",
        "conversa.notification.webhooks.max-wait=20ms",
        "conversa.notification.webhooks.poll-interval=100ms",
        "conversa.notification.webhooks.initial-backoff=200ms",
        "conversa.notification.webhooks.max-backoff=1s",
        "conversa.notification.webhooks.jitter=0",
        "conversa.notification.webhooks.max-retry-after=5s",
        "conversa.notification.webhooks.connect-timeout=1s",
        "conversa.notification.webhooks.response-timeout=2s",
        "conversa.notification.webhooks.lease=5s",
        "conversa.notification.webhooks.disable-after-failures=3",
        "conversa.notification.alerts.max-wait=20ms",
        "conversa.notification.alerts.poll-interval=100ms",
        "conversa.notification.alerts.initial-backoff=200ms",
        "conversa.notification.alerts.max-backoff=500ms",
        "conversa.notification.alerts.send-timeout=5s",
        "conversa.notification.alerts.lease=10s",
})
public abstract class NotificationTestBase {

    protected static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Set<String> ASSIGNED = ConcurrentHashMap.newKeySet();
    protected static final int SMTP_PORT = freePort();

    @Autowired
    protected WebTestClient web;

    @Autowired
    protected EventPublisher publisher;

    @Autowired
    protected RealServers servers;

    @Autowired
    private Environment environment;

    @DynamicPropertySource
    static void groups(DynamicPropertyRegistry registry) {
        String group = "notification-test-" + UUID.randomUUID();
        registry.add("conversa.test.group", () -> group);
        registry.add("conversa.test.smtp-port", () -> SMTP_PORT);
    }

    @BeforeEach
    void consumersOwnEveryPartition() {
        String group = environment.getRequiredProperty("conversa.test.group");
        if (ASSIGNED.add(group)) {
            for (String topic : List.of(Topics.CRM_CONVERSATION_EVENTS, Topics.WA_SESSION_EVENTS,
                    Topics.CRM_CAMPAIGN_EVENTS, Topics.WA_MESSAGE_STATUS)) {
                TestKafka.awaitAssignment(group + "-webhooks", topic, TIMEOUT);
            }
            for (String topic : List.of(Topics.CRM_CONVERSATION_EVENTS, Topics.WA_SESSION_EVENTS,
                    Topics.CRM_CAMPAIGN_EVENTS)) {
                TestKafka.awaitAssignment(group + "-alerts", topic, TIMEOUT);
            }
        }
    }

    protected static String admin(String tenant) {
        return TestJwts.get().token("admin-1", tenant, "admin");
    }

    protected static String newTenant() {
        return "tenant-" + UUID.randomUUID().toString().substring(0, 8);
    }

    protected static GreenMail smtp() {
        GreenMail mail = new GreenMail(new ServerSetup(SMTP_PORT, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return mail;
    }

    /** Publishes a session status change as session-service does; answers the event id. */
    protected String publishSession(String tenant, SessionStatus status, String type, String eventId) {
        UUID session = UUID.nameUUIDFromBytes((tenant + "session").getBytes());
        SessionStateChanged payload = new SessionStateChanged(tenant, session, status, SessionStatus.CONNECTED,
                SessionTransport.values()[0], "+5491155551234", 401, "logged out from the phone", 0, Instant.now());
        EventMetadata metadata = new EventMetadata(eventId, type, "/session-service", Instant.now(),
                session.toString(), tenant, session.toString());
        publisher.publish(Topics.WA_SESSION_EVENTS, metadata, payload, session.toString()).block(TIMEOUT);
        return eventId;
    }

    protected String publishLoggedOut(String tenant) {
        return publishSession(tenant, SessionStatus.LOGGED_OUT, EventTypes.SESSION_LOGGED_OUT,
                UUID.randomUUID().toString());
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
