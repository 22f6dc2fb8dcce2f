package dev.conversa.distribution.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.conversa.distribution.DistributionTestBase;
import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.conversation.ConversationAssignment;
import dev.conversa.testsupport.TopicRecords;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/** The assignment engine end to end: events in, decisions in the database and on crm.conversation.events. */
class AssignmentIntegrationTest extends DistributionTestBase {

    @Autowired
    ConversationEventsHandler handler;

    @Autowired
    ScheduledJobs jobs;

    @Test
    void thousandConcurrentConversationsFillTenAgentsExactlyToCapacity() {
        String tenant = "tenant-thousand";
        IntStream.range(0, 10).forEach(i -> agentOnline(tenant, "agent-%02d".formatted(i), 10));
        UUID session = UUID.randomUUID();
        Instant base = Instant.parse("2026-01-01T10:00:00Z");
        List<UUID> ids = IntStream.range(0, 1000).mapToObj(i -> UUID.randomUUID()).toList();
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            events.add(opened(tenant, ids.get(i), session, base.plusMillis(i)));
        }
        long waitsBefore = meters.timer("conversa.assignment.wait").count();

        produce(events);

        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM distribution.conversations "
                + "WHERE tenant_id = ?", tenant) == 1000);
        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM distribution.conversations "
                + "WHERE tenant_id = ? AND state = 'assigned'", tenant) == 100);
        assertThat(count("SELECT count(*) FROM distribution.conversations WHERE tenant_id = ? AND state = 'waiting'",
                tenant)).isEqualTo(900);
        assertThat(count("SELECT count(DISTINCT agent_id) FROM distribution.conversations WHERE tenant_id = ? "
                + "AND state = 'assigned'", tenant)).isEqualTo(10);
        assertThat(count("SELECT max(n) - min(n) FROM (SELECT count(*) AS n FROM distribution.conversations "
                + "WHERE tenant_id = ? AND state = 'assigned' GROUP BY agent_id) x", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM distribution.agents WHERE tenant_id = ? AND active = 10", tenant))
                .isEqualTo(10);
        // every assignment measures its queue time
        assertThat(meters.timer("conversa.assignment.wait").count() - waitsBefore).isGreaterThanOrEqualTo(100);

        // closing 50 assigned conversations gives their slots to the 50 oldest waiting ones
        List<UUID> oldestWaiting = servers.database().queryString("SELECT string_agg(conversation_id::text, ',' "
                + "ORDER BY waiting_since, queue_seq) FROM (SELECT * FROM distribution.conversations WHERE tenant_id = ? "
                + "AND state = 'waiting' ORDER BY waiting_since, queue_seq LIMIT 50) w", tenant)
                .lines().flatMap(line -> List.of(line.split(",")).stream()).map(UUID::fromString).toList();
        assertThat(oldestWaiting).hasSize(50);
        List<UUID> toClose = List.of(servers.database().queryString("SELECT string_agg(conversation_id::text, ',') "
                + "FROM (SELECT conversation_id FROM distribution.conversations WHERE tenant_id = ? "
                + "AND state = 'assigned' LIMIT 50) a", tenant).split(",")).stream().map(UUID::fromString).toList();
        produce(toClose.stream().map(id -> closed(tenant, id, session)).toList());

        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM distribution.conversations "
                + "WHERE tenant_id = ? AND state = 'closed'", tenant) == 50);
        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM distribution.conversations "
                + "WHERE tenant_id = ? AND state = 'assigned'", tenant) == 100);
        for (UUID id : oldestWaiting) {
            assertThat(state(id)).startsWith("assigned:");
        }
        assertThat(count("SELECT count(*) FROM distribution.conversations WHERE tenant_id = ? AND state = 'waiting'",
                tenant)).isEqualTo(850);
        assertThat(count("SELECT count(*) FROM distribution.agents a WHERE tenant_id = ? AND active <> "
                + "(SELECT count(*) FROM distribution.conversations c WHERE c.tenant_id = a.tenant_id "
                + "AND c.agent_id = a.user_id AND c.state = 'assigned')", tenant)).isZero();
        assertThat(count("SELECT count(*) FROM distribution.agents WHERE tenant_id = ? AND active > max_concurrent",
                tenant)).isZero();

        // the waiting ones were announced as waiting, the assigned ones as assigned
        UUID assigned = oldestWaiting.getFirst();
        List<ConsumerRecord<String, byte[]>> own = awaitOwnEvents(assigned, 3);
        assertThat(TopicRecords.types(own)).containsExactly(EventTypes.CONVERSATION_UNASSIGNED,
                EventTypes.CONVERSATION_ASSIGNED);
        ConversationAssignment last = TopicRecords.payload(own.getLast(), ConversationAssignment.class);
        assertThat(last.agentId()).startsWith("agent-");
        assertThat(last.botEnabled()).isFalse();
        assertThat(last.reason()).isEqualTo("round-robin");
    }

    @Test
    void twoConcurrentBatchesNeverPushAnAgentOverCapacity() {
        String tenant = "tenant-concurrent";
        IntStream.range(0, 5).forEach(i -> agentOnline(tenant, "agent-" + i, 10));
        UUID session = UUID.randomUUID();
        List<List<EventEnvelope<Object>>> batches = IntStream.range(0, 4)
                .mapToObj(b -> IntStream.range(0, 100).mapToObj(i -> {
                    Event event = opened(tenant, UUID.randomUUID(), session, Instant.now());
                    return new EventEnvelope<Object>(event.metadata(), event.payload());
                }).toList())
                .toList();

        Flux.fromIterable(batches)
                .flatMap(batch -> handler.handle(batch).subscribeOn(Schedulers.parallel()), 4)
                .then()
                .block(TIMEOUT);

        assertThat(count("SELECT count(*) FROM distribution.conversations WHERE tenant_id = ? AND state = 'assigned'",
                tenant)).isEqualTo(50);
        assertThat(count("SELECT count(*) FROM distribution.conversations WHERE tenant_id = ? AND state = 'waiting'",
                tenant)).isEqualTo(350);
        assertThat(count("SELECT count(*) FROM distribution.agents WHERE tenant_id = ? AND active = 10", tenant))
                .isEqualTo(5);
    }

    @Test
    void redeliveredOpenedAssignsOnce() {
        String tenant = "tenant-redelivery";
        agentOnline(tenant, "agent-a", 10);
        agentOnline(tenant, "agent-b", 10);
        UUID id = UUID.randomUUID();
        Event event = opened(tenant, id, UUID.randomUUID(), Instant.now());

        produce(event);
        await().atMost(TIMEOUT).until(() -> state(id) != null && state(id).startsWith("assigned:"));
        String first = state(id);
        produce(event, event);

        List<ConsumerRecord<String, byte[]>> own = awaitOwnEvents(id, 5);
        assertThat(own.stream().map(r -> TopicRecords.header(r, "ce_id")).distinct()).hasSize(1);
        assertThat(state(id)).isEqualTo(first);
        assertThat(count("SELECT sum(active) FROM distribution.agents WHERE tenant_id = ?", tenant)).isEqualTo(1);
    }

    @Test
    void conversationOpenedAgainAfterItsCloseIsRoutedAgainOnce() {
        String tenant = "tenant-reopen";
        agentOnline(tenant, "agent-a", 1);
        UUID session = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        produce(opened(tenant, first, session, Instant.parse("2026-01-01T10:00:00Z")));
        await().atMost(TIMEOUT).until(() -> "assigned:agent-a".equals(state(first)));
        produce(closed(tenant, first, session));
        await().atMost(TIMEOUT).until(() -> "closed".equals(state(first)));

        // an update that is not a reopen (the conversation is open here) changes nothing
        produce(opened(tenant, second, session, Instant.parse("2026-01-01T10:05:00Z")));
        await().atMost(TIMEOUT).until(() -> "assigned:agent-a".equals(state(second)));
        produce(reopened(tenant, second, session));
        // the contact of the first writes again: back to the queue, behind nobody, while agent-a is full
        produce(reopened(tenant, first, session), reopened(tenant, first, session));
        await().atMost(TIMEOUT).until(() -> "waiting".equals(state(first)));
        assertThat(state(second)).isEqualTo("assigned:agent-a");

        produce(closed(tenant, second, session));
        await().atMost(TIMEOUT).until(() -> "assigned:agent-a".equals(state(first)));
        assertThat(count("SELECT sum(active) FROM distribution.agents WHERE tenant_id = ?", tenant)).isEqualTo(1);
        // 4 produced (opened, closed, reopened twice) and 3 announced: the redelivered reopen announces nothing
        List<ConsumerRecord<String, byte[]>> own = awaitOwnEvents(first, 7);
        assertThat(TopicRecords.types(own)).containsExactly(EventTypes.CONVERSATION_ASSIGNED,
                EventTypes.CONVERSATION_UNASSIGNED, EventTypes.CONVERSATION_ASSIGNED);
        assertThat(TopicRecords.payload(own.get(1), ConversationAssignment.class).reason()).isEqualTo("reopened");
    }

    @Test
    void agentGoingOfflineKeepsConversationsUnlessTheTenantReleasesThem() {
        String tenant = "tenant-offline";
        String admin = token("admin", tenant, "admin");
        agentOnline(tenant, "agent-a", 10);
        UUID session = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        produce(opened(tenant, first, session, Instant.now()), opened(tenant, second, session, Instant.now()));
        await().atMost(TIMEOUT).until(() -> "assigned:agent-a".equals(state(first))
                && "assigned:agent-a".equals(state(second)));

        agentStatus(tenant, "agent-a", "offline");
        assertThat(state(first)).isEqualTo("assigned:agent-a");

        put(admin, "/api/v1/routing/tenant", Map.of("releaseOnOffline", true)).expectStatus().isOk();
        agentStatus(tenant, "agent-a", "online");
        agentStatus(tenant, "agent-b", "online");
        agentStatus(tenant, "agent-a", "offline");

        assertThat(state(first)).isEqualTo("assigned:agent-b");
        assertThat(state(second)).isEqualTo("assigned:agent-b");
        assertThat(count("SELECT active FROM distribution.agents WHERE tenant_id = ? AND user_id = 'agent-a'",
                tenant)).isZero();
        List<ConsumerRecord<String, byte[]>> own = awaitOwnEvents(first, 4);
        assertThat(TopicRecords.types(own)).containsSubsequence(EventTypes.CONVERSATION_UNASSIGNED,
                EventTypes.CONVERSATION_ASSIGNED);
        assertThat(own.stream().map(r -> TopicRecords.payload(r, ConversationAssignment.class).reason()))
                .contains("agent-offline");
    }

    @Test
    void waitingConversationsGoToAnAgentComingOnlineOldestFirst() {
        String tenant = "tenant-online";
        UUID session = UUID.randomUUID();
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        produce(opened(tenant, newer, session, Instant.parse("2026-01-01T10:00:05Z")),
                opened(tenant, older, session, Instant.parse("2026-01-01T10:00:00Z")));
        await().atMost(TIMEOUT).until(() -> "waiting".equals(state(older)) && "waiting".equals(state(newer)));

        agentOnline(tenant, "agent-a", 1);
        // capacity 10 when going online, then 1: a supervisor lowering it does not take conversations back
        assertThat(count("SELECT count(*) FROM distribution.conversations WHERE tenant_id = ? AND state = 'assigned'",
                tenant)).isEqualTo(2);

        String tenant2 = "tenant-online-2";
        UUID old2 = UUID.randomUUID();
        UUID new2 = UUID.randomUUID();
        produce(opened(tenant2, new2, session, Instant.parse("2026-01-01T10:00:05Z")),
                opened(tenant2, old2, session, Instant.parse("2026-01-01T10:00:00Z")));
        await().atMost(TIMEOUT).until(() -> "waiting".equals(state(old2)) && "waiting".equals(state(new2)));
        agentStatus(tenant2, "agent-z", "away");
        patch(token("sup", tenant2, "supervisor"), "/api/v1/agents/agent-z", Map.of("maxConcurrent", 1))
                .expectStatus().isOk();
        agentStatus(tenant2, "agent-z", "online");
        assertThat(state(old2)).isEqualTo("assigned:agent-z");
        assertThat(state(new2)).isEqualTo("waiting");
    }

    @Test
    void inboundKeywordEscalatesABotConversationToAnAgent() {
        String tenant = "tenant-keyword";
        UUID session = UUID.randomUUID();
        put(token("admin", tenant, "admin"), "/api/v1/routing/sessions/" + session,
                Map.of("botEnabled", true)).expectStatus().isOk();
        agentOnline(tenant, "agent-a", 10);
        UUID id = UUID.randomUUID();

        produce(opened(tenant, id, session, Instant.now()));
        await().atMost(TIMEOUT).until(() -> "bot".equals(state(id)));
        ConversationAssignment botFirst = TopicRecords.payload(awaitOwnEvents(id, 2).getFirst(),
                ConversationAssignment.class);
        assertThat(botFirst.botEnabled()).isTrue();
        assertThat(botFirst.agentId()).isNull();

        produce(inboundText(tenant, id, session, "hola, cuánto cuesta?"));
        produce(inboundText(tenant, id, session, "Quiero hablar con un HUMÁNO"));
        await().atMost(TIMEOUT).until(() -> "assigned:agent-a".equals(state(id)));

        List<ConsumerRecord<String, byte[]>> own = awaitOwnEvents(id, 6);
        assertThat(TopicRecords.types(own)).containsExactly(EventTypes.CONVERSATION_RETURNED_TO_BOT,
                EventTypes.CONVERSATION_ESCALATED, EventTypes.CONVERSATION_ASSIGNED);
        assertThat(TopicRecords.payload(own.get(1), ConversationAssignment.class).reason())
                .isEqualTo("customer-asked-for-human");
    }

    @Test
    void sessionKeywordsReplaceTheDefaults() {
        String tenant = "tenant-keyword-custom";
        UUID session = UUID.randomUUID();
        put(token("admin", tenant, "admin"), "/api/v1/routing/sessions/" + session,
                Map.of("botEnabled", true, "escalationKeywords", List.of("operador"))).expectStatus().isOk();
        UUID id = UUID.randomUUID();
        produce(opened(tenant, id, session, Instant.now()));
        await().atMost(TIMEOUT).until(() -> "bot".equals(state(id)));

        produce(inboundText(tenant, id, session, "quiero un agente"));
        produce(inboundText(tenant, id, session, "OPERADÓR por favor"));

        await().atMost(TIMEOUT).until(() -> "waiting".equals(state(id)));
        assertThat(count("SELECT version FROM distribution.conversations WHERE conversation_id = ?", id))
                .isEqualTo(2);
    }

    @Test
    void botConversationsEscalateManuallyAndAfterTheTimeout() {
        String tenant = "tenant-escalate";
        UUID session = UUID.randomUUID();
        put(token("admin", tenant, "admin"), "/api/v1/routing/sessions/" + session,
                Map.of("botEnabled", true)).expectStatus().isOk();
        UUID manual = UUID.randomUUID();
        UUID timedOut = UUID.randomUUID();
        UUID recent = UUID.randomUUID();
        produce(opened(tenant, manual, session, Instant.now()), opened(tenant, timedOut, session, Instant.now()),
                opened(tenant, recent, session, Instant.now()));
        await().atMost(TIMEOUT).until(() -> "bot".equals(state(manual)) && "bot".equals(state(timedOut))
                && "bot".equals(state(recent)));
        agentOnline(tenant, "agent-a", 10);

        post(token("sup", tenant, "supervisor"), "/api/v1/conversations/" + manual + "/escalate", Map.of())
                .expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("assigned").jsonPath("$.agentId").isEqualTo("agent-a");
        post(token("sup", tenant, "supervisor"), "/api/v1/conversations/" + manual + "/escalate", Map.of())
                .expectStatus().isEqualTo(409);

        servers.database().update("UPDATE distribution.conversations SET bot_since = now() - interval '13 hours' "
                + "WHERE conversation_id = ?", timedOut);
        assertThat(jobs.escalateBotTimeouts().block(TIMEOUT)).isEqualTo(1);
        assertThat(state(timedOut)).isEqualTo("assigned:agent-a");
        assertThat(state(recent)).isEqualTo("bot");
        assertThat(TopicRecords.types(awaitOwnEvents(timedOut, 4))).containsExactly(
                EventTypes.CONVERSATION_RETURNED_TO_BOT, EventTypes.CONVERSATION_ESCALATED,
                EventTypes.CONVERSATION_ASSIGNED);
    }

    @Test
    void returnToBotFreesTheSlotForTheNextWaitingConversation() {
        String tenant = "tenant-return";
        agentOnline(tenant, "agent-a", 1);
        UUID session = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        produce(opened(tenant, first, session, Instant.parse("2026-01-01T10:00:00Z")));
        await().atMost(TIMEOUT).until(() -> "assigned:agent-a".equals(state(first)));
        produce(opened(tenant, second, session, Instant.parse("2026-01-01T10:00:01Z")));
        await().atMost(TIMEOUT).until(() -> "waiting".equals(state(second)));

        post(token("agent-b", tenant, "agent"), "/api/v1/conversations/" + first + "/return-to-bot", Map.of())
                .expectStatus().isNotFound();
        post(token("agent-a", tenant, "agent"), "/api/v1/conversations/" + first + "/return-to-bot", Map.of())
                .expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("bot").jsonPath("$.botEnabled").isEqualTo(true);

        assertThat(state(second)).isEqualTo("assigned:agent-a");
        ConversationAssignment returned = TopicRecords.payload(awaitOwnEvents(first, 3).getLast(),
                ConversationAssignment.class);
        assertThat(returned.botEnabled()).isTrue();
        assertThat(returned.agentId()).isNull();
        assertThat(returned.previousAgentId()).isEqualTo("agent-a");
    }

    @Test
    void supervisorsReassignWithinCapacityAndUnassignBackToTheQueue() {
        String tenant = "tenant-reassign";
        String supervisor = token("sup", tenant, "supervisor");
        agentOnline(tenant, "agent-a", 1);
        agentOnline(tenant, "agent-b", 1);
        UUID session = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        produce(opened(tenant, first, session, Instant.now()), opened(tenant, second, session, Instant.now()));
        await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM distribution.conversations "
                + "WHERE tenant_id = ? AND state = 'assigned'", tenant) == 2);
        String ownerOfFirst = state(first).substring("assigned:".length());
        String other = ownerOfFirst.equals("agent-a") ? "agent-b" : "agent-a";

        post(supervisor, "/api/v1/conversations/" + first + "/reassign", Map.of("agentId", other))
                .expectStatus().isEqualTo(409);
        post(supervisor, "/api/v1/conversations/" + first + "/reassign", Map.of("agentId", "nobody"))
                .expectStatus().isNotFound();
        patch(supervisor, "/api/v1/agents/" + other, Map.of("maxConcurrent", 2)).expectStatus().isOk();
        post(supervisor, "/api/v1/conversations/" + first + "/reassign", Map.of("agentId", other))
                .expectStatus().isOk()
                .expectBody().jsonPath("$.agentId").isEqualTo(other);
        assertThat(count("SELECT active FROM distribution.agents WHERE tenant_id = ? AND user_id = ?", tenant,
                ownerOfFirst)).isZero();

        agentStatus(tenant, ownerOfFirst, "away");
        agentStatus(tenant, other, "busy");
        post(supervisor, "/api/v1/conversations/" + first + "/unassign", Map.of())
                .expectStatus().isOk()
                .expectBody().jsonPath("$.state").isEqualTo("waiting");
        assertThat(count("SELECT active FROM distribution.agents WHERE tenant_id = ? AND user_id = ?", tenant,
                other)).isEqualTo(1);
        get(supervisor, "/api/v1/queue").expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].conversationId").isEqualTo(first.toString());
        post(supervisor, "/api/v1/conversations/" + first + "/unassign", Map.of()).expectStatus().isEqualTo(409);
    }

    @Test
    void conversationsWaitingTooLongAreReportedOnce() {
        String tenant = "tenant-alert";
        UUID id = UUID.randomUUID();
        produce(opened(tenant, id, UUID.randomUUID(), Instant.now()));
        await().atMost(TIMEOUT).until(() -> "waiting".equals(state(id)));
        servers.database().update("UPDATE distribution.conversations SET waiting_since = now() - interval '1 hour' "
                + "WHERE conversation_id = ?", id);

        assertThat(jobs.checkWaiting().block(TIMEOUT)).isGreaterThanOrEqualTo(1);
        assertThat(text("SELECT wait_alerted::text FROM distribution.conversations WHERE conversation_id = ?", id))
                .isEqualTo("true");
        get(token("sup", tenant, "supervisor"), "/api/v1/queue").expectStatus().isOk()
                .expectBody().jsonPath("$.items[0].overdue").isEqualTo(true);
    }

    private List<ConsumerRecord<String, byte[]>> awaitOwnEvents(UUID conversation, int totalRecords) {
        List<List<ConsumerRecord<String, byte[]>>> found = new ArrayList<>();
        await().atMost(TIMEOUT).until(() -> {
            List<ConsumerRecord<String, byte[]>> records = TopicRecords.read(
                    dev.conversa.events.Topics.CRM_CONVERSATION_EVENTS, conversation.toString(), totalRecords,
                    java.time.Duration.ofSeconds(5));
            found.add(records.stream()
                    .filter(r -> "/distribution-service".equals(TopicRecords.header(r, "ce_source"))).toList());
            return records.size() >= totalRecords;
        });
        return found.getLast();
    }

}
