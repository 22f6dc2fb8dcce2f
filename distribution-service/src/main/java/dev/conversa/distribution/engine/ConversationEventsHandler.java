package dev.conversa.distribution.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.distribution.routing.EscalationKeywords;
import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.conversation.MessageStored;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * One batch of {@code crm.conversation.events}, split by tenant, each tenant's part in one transaction of its own
 * (at most {@code tenant-concurrency} at a time): new conversations are routed (bot, directly to a free agent, or
 * the queue), inbound texts asking for a human escalate conversations the bot handles, closed conversations free
 * their agent's slot, closed conversations that open again (the contact wrote again: an {@code updated} event that
 * is not closed) are routed again like new ones, and the tenant's queue is distributed. The events of a tenant's
 * part go out once its transaction committed. A failure retries the whole batch: the parts that committed change
 * nothing the second time, and their known conversations are announced again under the same event ids.
 */
@Component
public class ConversationEventsHandler {

    static final Set<String> TYPES = Set.of(EventTypes.CONVERSATION_OPENED, EventTypes.CONVERSATION_UPDATED,
            EventTypes.CONVERSATION_CLOSED, EventTypes.MESSAGE_STORED);
    static final String KEYWORD_REASON = "customer-asked-for-human";

    private static final Logger log = LoggerFactory.getLogger(ConversationEventsHandler.class);

    private final AssignmentEngine engine;
    private final Announcements announcements;
    private final TransactionalOperator transaction;
    private final DatabaseClient db;
    private final DistributionProperties properties;

    ConversationEventsHandler(AssignmentEngine engine, Announcements announcements,
            TransactionalOperator transaction, DatabaseClient db, DistributionProperties properties) {
        this.engine = engine;
        this.properties = properties;
        this.announcements = announcements;
        this.transaction = transaction;
        this.db = db;
    }

    public Mono<Void> handle(List<EventEnvelope<Object>> batch) {
        Map<String, TenantEvents> byTenant = new TreeMap<>();
        for (EventEnvelope<Object> event : batch) {
            switch (event.payload()) {
                case ConversationChanged c when EventTypes.CONVERSATION_OPENED.equals(event.type()) ->
                        byTenant.computeIfAbsent(c.tenantId(), TenantEvents::new).opened.add(
                                new AssignmentEngine.Opened(c.tenantId(), c.conversationId(), c.sessionId(),
                                        c.contactPhone(), c.occurredAt()));
                case ConversationChanged c when c.status() == ConversationStatus.CLOSED
                        || EventTypes.CONVERSATION_UPDATED.equals(event.type()) -> {
                    // the last close or reopen of each conversation in the batch decides which of the two applies
                    Map<UUID, ConversationChanged> last = byTenant.computeIfAbsent(c.tenantId(), TenantEvents::new)
                            .lastStatus;
                    last.remove(c.conversationId());
                    last.put(c.conversationId(), c);
                }
                case MessageStored m when m.direction() == MessageDirection.INBOUND && m.text() != null ->
                        byTenant.computeIfAbsent(m.tenantId(), TenantEvents::new).texts
                                .computeIfAbsent(m.conversationId(), id -> new ArrayList<>()).add(m);
                default -> {
                }
            }
        }
        if (byTenant.size() == 1) {
            return handle(byTenant.values().iterator().next());
        }
        return Flux.fromIterable(byTenant.values())
                .flatMap(this::handle, properties.tenantConcurrency())
                .then();
    }

    /**
     * One tenant's part of a batch, in a transaction of its own under the tenant's lock. Closes, escalations and
     * reopens of conversations known before the batch come first, so the slots they free and the conversations they
     * queue take part in the distribution that admits the new ones; those of conversations opened in this very batch
     * come after it (their row must exist), followed by one more distribution.
     */
    private Mono<Void> handle(TenantEvents events) {
        Set<UUID> openedNow = new HashSet<>();
        events.opened.forEach(o -> openedNow.add(o.conversationId()));
        Changes before = new Changes();
        Changes after = new Changes();
        events.lastStatus.values().forEach(c -> {
            Changes changes = openedNow.contains(c.conversationId()) ? after : before;
            (c.status() == ConversationStatus.CLOSED ? changes.closed : changes.reopened).add(c.conversationId());
        });
        events.texts.forEach((id, texts) -> (openedNow.contains(id) ? after : before).texts.put(id, texts));
        String tenant = events.tenantId;
        return Mono.defer(() -> {
            Announcements.Collector out = new Announcements.Collector();
            return engine.lockTenants(List.of(tenant))
                    .then(apply(tenant, before, out))
                    .then(engine.admit(tenant, events.opened, out))
                    .then(after.isEmpty() ? Mono.empty()
                            : apply(tenant, after, out).then(engine.distribute(tenant, out)))
                    .as(transaction::transactional)
                    .then(Mono.defer(() -> announcements.publish(out)));
        });
    }

    /** Escalations by keyword, closes (freeing slots) and reopens, in this order. */
    private Mono<Void> apply(String tenant, Changes changes, Announcements.Collector out) {
        return escalateByKeywords(tenant, changes.texts, out)
                .then(changes.closed.isEmpty() ? Mono.empty()
                        : engine.move(tenant, changes.closed.toArray(UUID[]::new), null,
                                Set.of(AssignmentEngine.BOT, AssignmentEngine.WAITING, AssignmentEngine.ASSIGNED),
                                AssignmentEngine.CLOSED, null, null).then())
                .then(changes.reopened.isEmpty() ? Mono.empty()
                        : engine.reopen(tenant, changes.reopened.toArray(UUID[]::new), out));
    }

    /** What a batch carries for one tenant, in record order. */
    private static final class TenantEvents {
        final String tenantId;
        final List<AssignmentEngine.Opened> opened = new ArrayList<>();
        final Map<UUID, ConversationChanged> lastStatus = new LinkedHashMap<>();
        final Map<UUID, List<MessageStored>> texts = new LinkedHashMap<>();

        TenantEvents(String tenantId) {
            this.tenantId = tenantId;
        }
    }

    /** Closes, reopens and inbound texts of one tenant's conversations. */
    private static final class Changes {
        final List<UUID> closed = new ArrayList<>();
        final List<UUID> reopened = new ArrayList<>();
        final Map<UUID, List<MessageStored>> texts = new LinkedHashMap<>();

        boolean isEmpty() {
            return closed.isEmpty() && reopened.isEmpty() && texts.isEmpty();
        }
    }

    /** Conversations the bot handles whose inbound text has one of their keywords go to the queue. */
    private Mono<Void> escalateByKeywords(String tenant, Map<UUID, List<MessageStored>> texts,
            Announcements.Collector out) {
        if (texts.isEmpty()) {
            return Mono.empty();
        }
        return db.sql("""
                SELECT c.conversation_id, c.tenant_id,
                       coalesce(s.escalation_keywords, t.escalation_keywords) AS keywords
                  FROM distribution.conversations c
                  LEFT JOIN distribution.session_routing s
                         ON s.tenant_id = c.tenant_id AND s.session_id = c.session_id
                  LEFT JOIN distribution.tenant_settings t ON t.tenant_id = c.tenant_id
                 WHERE c.tenant_id = :tenant AND c.conversation_id = ANY(:ids::uuid[]) AND c.state = 'bot'""")
                .bind("tenant", tenant)
                .bind("ids", texts.keySet().toArray(UUID[]::new))
                .map(row -> {
                    String[] keywords = row.get("keywords", String[].class);
                    return new Candidate(row.get("conversation_id", UUID.class), row.get("tenant_id", String.class),
                            keywords == null ? EscalationKeywords.DEFAULTS : List.of(keywords));
                })
                .all()
                .filter(c -> {
                    return texts.get(c.id()).stream().anyMatch(message -> message.tenantId().equals(c.tenantId())
                            && EscalationKeywords.match(message.text(), c.keywords()) != null);
                })
                .collect(HashMap<String, List<UUID>>::new,
                        (map, c) -> map.computeIfAbsent(c.tenantId(), t -> new ArrayList<>()).add(c.id()))
                .flatMapMany(byTenant -> Flux.fromIterable(byTenant.entrySet()))
                .concatMap(e -> engine.move(e.getKey(), e.getValue().toArray(UUID[]::new), null,
                        Set.of(AssignmentEngine.BOT), AssignmentEngine.WAITING, Announcements.ESCALATED,
                        KEYWORD_REASON))
                .doOnNext(rows -> {
                    rows.forEach(out::add);
                    if (!rows.isEmpty()) {
                        log.info("{} conversations escalated: the customer asked for a human", rows.size());
                    }
                })
                .then();
    }

    private record Candidate(UUID id, String tenantId, List<String> keywords) {
    }
}
