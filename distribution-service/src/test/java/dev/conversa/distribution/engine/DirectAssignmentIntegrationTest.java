package dev.conversa.distribution.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.conversa.distribution.DistributionTestBase;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.conversation.ConversationChanged;
import reactor.core.publisher.Flux;
import reactor.core.scheduler.Schedulers;

/**
 * New conversations that find a free agent are inserted directly as assigned (one row write), under the tenant's
 * lock: batches handled at once, with the same conversations redelivered in each, never assign one twice nor push an
 * agent over capacity, and a new conversation never overtakes an older waiting one.
 */
class DirectAssignmentIntegrationTest extends DistributionTestBase {

    @Autowired
    ConversationEventsHandler handler;

    @Test
    void concurrentBatchesRedeliveringTheSameConversationsAssignEachOnceWithinCapacity() {
        String tenant = "tenant-direct-concurrent";
        IntStream.range(0, 4).forEach(i -> agentOnline(tenant, "agent-" + i, 5));
        UUID session = UUID.randomUUID();
        Instant base = Instant.parse("2026-02-01T10:00:00Z");
        List<EventEnvelope<Object>> events = IntStream.range(0, 30)
                .mapToObj(i -> envelope(opened(tenant, UUID.randomUUID(), session, base.plusMillis(i))))
                .toList();
        // six batches at once: every conversation in each of them, in a different order
        List<List<EventEnvelope<Object>>> batches = IntStream.range(0, 6).mapToObj(b -> {
            List<EventEnvelope<Object>> batch = new ArrayList<>(events);
            Collections.shuffle(batch, new Random(b));
            return batch;
        }).toList();

        Flux.fromIterable(batches)
                .flatMap(batch -> handler.handle(batch).subscribeOn(Schedulers.parallel()), 6)
                .then()
                .block(TIMEOUT);

        assertThat(count("SELECT count(*) FROM distribution.conversations WHERE tenant_id = ?", tenant)).isEqualTo(30);
        assertThat(count("SELECT count(*) FROM distribution.conversations WHERE tenant_id = ? AND state = 'assigned'",
                tenant)).isEqualTo(20);
        assertThat(count("SELECT count(*) FROM distribution.conversations WHERE tenant_id = ? AND state = 'waiting'",
                tenant)).isEqualTo(10);
        // assigned on arrival: each row written once (version 1), no agent over capacity, counters equal the rows
        assertThat(count("SELECT count(*) FROM distribution.conversations WHERE tenant_id = ? AND state = 'assigned' "
                + "AND version = 1 AND waiting_since IS NULL", tenant)).isEqualTo(20);
        assertThat(count("SELECT count(*) FROM distribution.agents WHERE tenant_id = ? AND active = 5", tenant))
                .isEqualTo(4);
        assertThat(count("SELECT count(*) FROM distribution.agents a WHERE tenant_id = ? AND active <> "
                + "(SELECT count(*) FROM distribution.conversations c WHERE c.tenant_id = a.tenant_id "
                + "AND c.agent_id = a.user_id AND c.state = 'assigned')", tenant)).isZero();
        // queue order is the opened time, whatever the order inside the batch that came first: the 10 youngest wait
        for (int i = 0; i < 30; i++) {
            UUID id = ((ConversationChanged) events.get(i).payload()).conversationId();
            assertThat(state(id)).as("conversation %d", i).startsWith(i < 20 ? "assigned:" : "waiting");
        }
    }

    @Test
    void conversationOpenedAndClosedInOneBatchGivesItsSlotBack() {
        String tenant = "tenant-direct-same-batch";
        agentOnline(tenant, "agent-a", 1);
        UUID session = UUID.randomUUID();
        UUID brief = UUID.randomUUID();
        UUID next = UUID.randomUUID();
        Instant at = Instant.parse("2026-02-01T10:00:00Z");

        handler.handle(List.of(envelope(opened(tenant, brief, session, at)), envelope(closed(tenant, brief, session)),
                envelope(opened(tenant, next, session, at.plusSeconds(1))))).block(TIMEOUT);

        assertThat(state(brief)).isEqualTo("closed");
        assertThat(state(next)).isEqualTo("assigned:agent-a");
        assertThat(count("SELECT active FROM distribution.agents WHERE tenant_id = ?", tenant)).isEqualTo(1);
    }

    @Test
    void slotFreedInABatchGoesToTheOlderWaitingConversationNotToTheNewOne() {
        String tenant = "tenant-direct-order";
        agentOnline(tenant, "agent-a", 1);
        UUID session = UUID.randomUUID();
        UUID first = UUID.randomUUID();
        UUID older = UUID.randomUUID();
        UUID newer = UUID.randomUUID();
        Instant at = Instant.parse("2026-02-01T10:00:00Z");
        handler.handle(List.of(envelope(opened(tenant, first, session, at)),
                envelope(opened(tenant, older, session, at.plusSeconds(1))))).block(TIMEOUT);
        assertThat(state(first)).isEqualTo("assigned:agent-a");
        assertThat(state(older)).isEqualTo("waiting");

        handler.handle(List.of(envelope(closed(tenant, first, session)),
                envelope(opened(tenant, newer, session, at.plusSeconds(2))))).block(TIMEOUT);

        assertThat(state(older)).isEqualTo("assigned:agent-a");
        assertThat(state(newer)).isEqualTo("waiting");
        assertThat(count("SELECT active FROM distribution.agents WHERE tenant_id = ?", tenant)).isEqualTo(1);
    }

    private static EventEnvelope<Object> envelope(Event event) {
        return new EventEnvelope<>(event.metadata(), event.payload());
    }
}
