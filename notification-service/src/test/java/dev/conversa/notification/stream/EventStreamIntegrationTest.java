package dev.conversa.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.reactive.function.client.WebClient;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.campaign.CampaignProgress;
import dev.conversa.events.campaign.CampaignStatus;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.conversation.ConversationAssignment;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageType;
import dev.conversa.events.session.SessionQrUpdated;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.notification.NotificationServiceApplication;
import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import dev.conversa.testsupport.ServiceLauncher;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;
import reactor.core.Disposable;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * notification-service whole on real Redis, Kafka and JWTs: events published to the topics reach SSE clients with
 * replay, role filtering and tenant isolation; a second instance on the same Redis adds nothing twice. Only the
 * three relay bindings run, in a consumer group of this class's own (from the latest offset).
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.function.definition=relayConversationEvents;relaySessionEvents;relayCampaignEvents",
        "spring.cloud.stream.bindings.relayConversationEvents-in-0.group=${conversa.test.group}",
        "spring.cloud.stream.bindings.relaySessionEvents-in-0.group=${conversa.test.group}",
        "spring.cloud.stream.bindings.relayCampaignEvents-in-0.group=${conversa.test.group}",
        "conversa.notification.stream.client-buffer=8",
        "conversa.notification.webhooks.secret-key=" + EventStreamIntegrationTest.WEBHOOK_KEY,
})
class EventStreamIntegrationTest {

    static final String WEBHOOK_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final List<String> TOPICS = List.of(Topics.CRM_CONVERSATION_EVENTS, Topics.WA_SESSION_EVENTS,
            Topics.CRM_CAMPAIGN_EVENTS);
    private static final ParameterizedTypeReference<ServerSentEvent<String>> SSE =
            new ParameterizedTypeReference<>() { };
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final java.util.Set<String> ASSIGNED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @Autowired
    private EventPublisher publisher;

    @Autowired
    private EventHub hub;

    @Autowired
    private EventLog eventLog;

    @Autowired
    private RealServers servers;

    @Autowired
    private Environment environment;

    @LocalServerPort
    private int port;

    /** The SSE connections the running test opened ({@link #closeEveryClient}). */
    private final List<Disposable> opened = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void consumerGroup(DynamicPropertyRegistry registry) {
        String group = "notification-stream-test-" + UUID.randomUUID();
        registry.add("conversa.test.group", () -> group);
    }

    @BeforeEach
    void relaysOwnEveryPartition() {
        String group = environment.getRequiredProperty("conversa.test.group");
        if (ASSIGNED.add(group)) {
            TOPICS.forEach(topic -> TestKafka.awaitAssignment(group, topic, TIMEOUT));
        }
    }

    /**
     * Every client a test opened is closed, and the test ends when this instance's hub has let them all go: a client
     * of an earlier test leaving while the next test's first one arrives would hide that arrival from
     * {@link #connect}'s count.
     */
    @AfterEach
    void closeEveryClient() {
        opened.forEach(Disposable::dispose);
        opened.clear();
        await().atMost(TIMEOUT).until(() -> hub.subscriberCount() == 0);
    }

    @Test
    void reconnectingWithLastEventIdReceivesWhatWasMissedExactlyOnceInOrderThenLiveEvents() throws Exception {
        String tenant = "tenant-replay";
        UUID conversation = UUID.randomUUID();
        List<String> published = new ArrayList<>();
        Received first = connect(port, tenant, "sup-1", "supervisor", null);
        for (int i = 1; i <= 3; i++) {
            published.add(publishUpdated(tenant, conversation, null, i));
        }
        first.await(3);
        String lastSeen = first.events.getLast().id();
        first.close();
        await().atMost(TIMEOUT).until(() -> hub.subscriberCount() == 0);

        // missed while disconnected
        for (int i = 4; i <= 8; i++) {
            published.add(publishUpdated(tenant, conversation, null, i));
        }
        await().atMost(TIMEOUT).until(() -> logged(tenant) == 8);
        // and published while the client reconnects, replays and goes live
        Thread publishing = Thread.ofPlatform().start(() -> {
            for (int i = 9; i <= 20; i++) {
                published.add(publishUpdated(tenant, conversation, null, i));
                sleep(15);
            }
        });
        Received second = connect(port, tenant, "sup-1", "supervisor", lastSeen);
        publishing.join();
        second.await(17);
        Thread.sleep(300);

        assertThat(first.eventIds()).containsExactlyElementsOf(published.subList(0, 3));
        assertThat(second.eventIds()).containsExactlyElementsOf(published.subList(3, 20));
        assertThat(second.events).extracting(ServerSentEvent::event).containsOnly("conversation.updated");
        assertIncreasing(second.ids());
        assertThat(StreamId.of(second.ids().getFirst()).isAfter(StreamId.of(lastSeen))).isTrue();
        second.close();
    }

    @Test
    void agentSeesOnlyConversationsAssignedToItAndNoSessionEventsWhileSupervisorSeesAll() {
        String tenant = "tenant-roles";
        UUID mine = UUID.randomUUID();
        UUID bobs = UUID.randomUUID();
        UUID later = UUID.randomUUID();
        Received ana = connect(port, tenant, "ana", "agent", null);
        Received supervisor = connect(port, tenant, "sup", "supervisor", null);
        Received otherTenant = connect(port, "tenant-roles-other", "sup", "admin", null);

        List<String> expectedForAna = new ArrayList<>();
        expectedForAna.add(publishAssignment(EventTypes.CONVERSATION_ASSIGNED, tenant, mine, "ana", null));
        publishAssignment(EventTypes.CONVERSATION_ASSIGNED, tenant, bobs, "bob", null);
        expectedForAna.add(publishStored(tenant, mine, MessageDirection.INBOUND, DeliveryStatus.DELIVERED));
        publishStored(tenant, bobs, MessageDirection.INBOUND, DeliveryStatus.DELIVERED);
        publishQr(tenant);
        publishCampaign(tenant, "Promo");
        expectedForAna.add(publishStored(tenant, mine, MessageDirection.OUTBOUND, DeliveryStatus.SENT));
        // taken away from ana: she gets the event that takes it, then nothing more of it
        expectedForAna.add(publishAssignment(EventTypes.CONVERSATION_ASSIGNED, tenant, mine, "bob", "ana"));
        publishStored(tenant, mine, MessageDirection.INBOUND, DeliveryStatus.DELIVERED);
        expectedForAna.add(publishUpdated(tenant, later, "ana", 1));

        supervisor.await(10);
        ana.await(expectedForAna.size());
        assertThat(ana.eventIds()).containsExactlyInAnyOrderElementsOf(expectedForAna);
        assertThat(ana.events).extracting(ServerSentEvent::event).containsExactlyInAnyOrder("conversation.assigned",
                "message.new", "message.status", "conversation.assigned", "conversation.updated");
        // in the log's order, which across conversations (partitions) is the relay's, not the order published here;
        // the two assignments of one conversation (one key, one partition) keep theirs
        assertIncreasing(ana.ids());
        assertThat(ana.eventIds().indexOf(expectedForAna.get(0))).isLessThan(
                ana.eventIds().indexOf(expectedForAna.get(3)));
        assertThat(supervisor.events).extracting(ServerSentEvent::event).contains("session.qr",
                "campaign.progress");
        assertIncreasing(supervisor.ids());

        // tenant isolation: nothing of tenant-roles reached the other tenant, which gets its own
        String own = publishUpdated("tenant-roles-other", UUID.randomUUID(), null, 1);
        otherTenant.await(1);
        assertThat(otherTenant.eventIds()).containsExactly(own);
        // and its replay from the start holds nothing of tenant-roles either
        Received otherReplay = connect(port, "tenant-roles-other", "sup", "admin", "0-1");
        otherReplay.await(1);
        assertThat(otherReplay.eventIds()).containsExactly(own);
        List.of(ana, supervisor, otherTenant, otherReplay).forEach(Received::close);
    }

    @Test
    void clientThatStopsReadingIsDisconnectedWhileTheOthersGetEverything() {
        String tenant = "tenant-slow";
        Received fast = connect(port, tenant, "sup", "supervisor", null);
        int before = hub.subscriberCount();
        AtomicReference<Throwable> slowEnded = new AtomicReference<>();
        // requests nothing: its TCP window, then the server's socket and the client's queue fill up
        Disposable slow = sse(port, tenant, "sup", "supervisor", null)
                .subscribeWith(new BaseSubscriber<ServerSentEvent<String>>() {
                    @Override
                    protected void hookOnSubscribe(Subscription subscription) {
                    }

                    @Override
                    protected void hookOnError(Throwable throwable) {
                        slowEnded.set(throwable);
                    }
                });
        opened.add(slow);
        await().atMost(TIMEOUT).until(() -> hub.subscriberCount() == before + 1);

        String bigName = "x".repeat(64 * 1024);
        int count = 400;
        for (int i = 0; i < count; i++) {
            publishCampaign(tenant, bigName);
        }
        fast.await(count);
        await().atMost(TIMEOUT).until(() -> hub.subscriberCount() == before);
        assertThat(fast.events).hasSize(count);
        slow.dispose();
        fast.close();
    }

    @Test
    void twoInstancesAddEachEventOnceAndServeTheSameIdsInTheSameOrder() {
        String tenant = "tenant-two";
        String group = "notification-stream-second-" + UUID.randomUUID();
        Map<String, Object> properties = new HashMap<>(servers.properties());
        properties.put("spring.cloud.function.definition",
                "relayConversationEvents;relaySessionEvents;relayCampaignEvents");
        for (String binding : List.of("relayConversationEvents", "relaySessionEvents", "relayCampaignEvents")) {
            properties.put("spring.cloud.stream.bindings." + binding + "-in-0.group", group);
        }
        properties.put("conversa.notification.webhooks.secret-key", WEBHOOK_KEY);
        ConfigurableApplicationContext second = ServiceLauncher.start(NotificationServiceApplication.class,
                properties);
        try {
            TOPICS.forEach(topic -> TestKafka.awaitAssignment(group, topic, TIMEOUT));
            int secondPort = ServiceLauncher.port(second);
            Received onFirst = connect(port, tenant, "sup", "supervisor", null);
            Received onSecond = connect(secondPort, tenant, "sup", "supervisor", null);

            List<String> published = new ArrayList<>();
            List<UUID> conversations = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID(),
                    UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
            for (int i = 0; i < 30; i++) {
                published.add(publishUpdated(tenant, conversations.get(i % conversations.size()), null, i + 1));
            }
            publishQr(tenant);
            onFirst.await(31);
            onSecond.await(31);

            List<ClientEvent> logged = eventLog.after(tenant, StreamId.ZERO, null).collectList().block(TIMEOUT);
            assertThat(logged).hasSize(31);
            assertThat(onFirst.ids()).containsExactlyElementsOf(logged.stream().map(e -> e.id().toString())
                    .toList());
            assertThat(onSecond.ids()).containsExactlyElementsOf(onFirst.ids());
            assertThat(onFirst.eventIds()).containsAll(published).doesNotHaveDuplicates();

            Received resumed = connect(secondPort, tenant, "sup", "supervisor", onFirst.ids().get(9));
            resumed.await(21);
            assertThat(resumed.ids()).containsExactlyElementsOf(onFirst.ids().subList(10, 31));
            List.of(onFirst, onSecond, resumed).forEach(Received::close);
        }
        finally {
            second.close();
        }
    }

    // ---------------------------------------------------------------- SSE clients

    /** What one SSE client received. */
    private record Received(List<ServerSentEvent<String>> events, Disposable connection) {

        void await(int count) {
            org.awaitility.Awaitility.await("SSE events").atMost(TIMEOUT).until(() -> events.size() >= count);
        }

        List<String> ids() {
            return events.stream().map(ServerSentEvent::id).toList();
        }

        List<String> eventIds() {
            return events.stream().map(event -> JSON.readTree(event.data()).get("eventId").asString()).toList();
        }

        void close() {
            connection.dispose();
        }
    }

    private Received connect(int port, String tenant, String user, String role, @Nullable String lastEventId) {
        int before = hub.subscriberCount();
        List<ServerSentEvent<String>> events = new CopyOnWriteArrayList<>();
        Disposable connection = sse(port, tenant, user, role, lastEventId).subscribe(events::add);
        opened.add(connection);
        if (port == this.port) {
            await().atMost(TIMEOUT).until(() -> hub.subscriberCount() > before);
        }
        else {
            sleep(500);
        }
        return new Received(events, connection);
    }

    private static Flux<ServerSentEvent<String>> sse(int port, String tenant, String user, String role,
            @Nullable String lastEventId) {
        return WebClient.create("http://127.0.0.1:" + port)
                .get().uri("/api/v1/events/stream")
                .accept(MediaType.TEXT_EVENT_STREAM)
                .headers(headers -> {
                    headers.setBearerAuth(TestJwts.get().token(user, tenant, role));
                    if (lastEventId != null) {
                        headers.set("Last-Event-ID", lastEventId);
                    }
                })
                .retrieve()
                .bodyToFlux(SSE)
                .filter(event -> event.event() != null);
    }

    private static void assertIncreasing(List<String> ids) {
        for (int i = 1; i < ids.size(); i++) {
            assertThat(StreamId.of(ids.get(i)).isAfter(StreamId.of(ids.get(i - 1)))).as("id %d", i).isTrue();
        }
    }

    private long logged(String tenant) {
        Long count = eventLog.after(tenant, StreamId.ZERO, null).count().block(TIMEOUT);
        return count == null ? 0 : count;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---------------------------------------------------------------- what other services publish

    private String publishUpdated(String tenant, UUID conversation, @Nullable String agent, long version) {
        return publish(Topics.CRM_CONVERSATION_EVENTS, EventTypes.CONVERSATION_UPDATED, tenant, conversation,
                new ConversationChanged(tenant, conversation, UUID.randomUUID(), "+5491155550000", "Ana",
                        ConversationStatus.OPEN, agent, false, 1, Instant.now(), "Hola", version, Instant.now()));
    }

    private String publishAssignment(String type, String tenant, UUID conversation, @Nullable String agent,
            @Nullable String previous) {
        return publish(Topics.CRM_CONVERSATION_EVENTS, type, tenant, conversation, new ConversationAssignment(tenant,
                conversation, UUID.randomUUID(), agent, previous, "round-robin", false, Instant.now()));
    }

    private String publishStored(String tenant, UUID conversation, MessageDirection direction,
            DeliveryStatus status) {
        return publish(Topics.CRM_CONVERSATION_EVENTS, EventTypes.MESSAGE_STORED, tenant, conversation,
                new MessageStored(tenant, conversation, UUID.randomUUID(), UUID.randomUUID(), "wamid.x", direction,
                        MessageType.TEXT, status, "+5491155550000", "Hola", null, null, Instant.now(),
                        Instant.now()));
    }

    private String publishQr(String tenant) {
        UUID session = UUID.randomUUID();
        return publish(Topics.WA_SESSION_EVENTS, EventTypes.SESSION_QR_UPDATED, tenant, session,
                new SessionQrUpdated(tenant, session, "2@qr", 1, Instant.now().plusSeconds(20)));
    }

    private String publishCampaign(String tenant, String name) {
        UUID campaign = UUID.randomUUID();
        return publish(Topics.CRM_CAMPAIGN_EVENTS, EventTypes.CAMPAIGN_PROGRESS, tenant, campaign,
                new CampaignProgress(tenant, campaign, name, CampaignStatus.RUNNING, 10, 5, 5, 0, 0, 0, 0,
                        Instant.now()));
    }

    private String publish(String topic, String type, String tenant, UUID key, Object payload) {
        String id = UUID.randomUUID().toString();
        EventMetadata metadata = new EventMetadata(id, type, "/test", Instant.now(), key.toString(), tenant, null);
        publisher.publish(topic, metadata, payload, key.toString()).block(TIMEOUT);
        return id;
    }
}
