package dev.conversa.distribution.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
 * One batch of {@code crm.conversation.events} in one transaction: new conversations are routed (bot or queue),
 * inbound texts asking for a human escalate conversations the bot handles, closed conversations free their agent's
 * slot, closed conversations that open again (the contact wrote again: an {@code updated} event that is not closed)
 * are routed again like new ones; then each tenant touched distributes its queue. The events go out once the transaction committed.
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

    ConversationEventsHandler(AssignmentEngine engine, Announcements announcements,
            TransactionalOperator transaction, DatabaseClient db) {
        this.engine = engine;
        this.announcements = announcements;
        this.transaction = transaction;
        this.db = db;
    }

    public Mono<Void> handle(List<EventEnvelope<Object>> batch) {
        List<AssignmentEngine.Opened> opened = new ArrayList<>();
        // the last close or reopen of each conversation in the batch decides which of the two applies
        Map<UUID, ConversationChanged> lastStatus = new LinkedHashMap<>();
        Map<UUID, List<MessageStored>> texts = new LinkedHashMap<>();
        Set<String> tenants = new TreeSet<>();
        for (EventEnvelope<Object> event : batch) {
            switch (event.payload()) {
                case ConversationChanged c when EventTypes.CONVERSATION_OPENED.equals(event.type()) -> {
                    opened.add(new AssignmentEngine.Opened(c.tenantId(), c.conversationId(), c.sessionId(),
                            c.contactPhone(), c.occurredAt()));
                    tenants.add(c.tenantId());
                }
                case ConversationChanged c when c.status() == ConversationStatus.CLOSED
                        || EventTypes.CONVERSATION_UPDATED.equals(event.type()) -> {
                    lastStatus.remove(c.conversationId());
                    lastStatus.put(c.conversationId(), c);
                    tenants.add(c.tenantId());
                }
                case MessageStored m when m.direction() == MessageDirection.INBOUND && m.text() != null -> {
                    texts.computeIfAbsent(m.conversationId(), id -> new ArrayList<>()).add(m);
                    tenants.add(m.tenantId());
                }
                default -> {
                }
            }
        }
        Map<String, List<UUID>> closed = new LinkedHashMap<>();
        Map<String, List<UUID>> reopened = new LinkedHashMap<>();
        lastStatus.values().forEach(c -> (c.status() == ConversationStatus.CLOSED ? closed : reopened)
                .computeIfAbsent(c.tenantId(), t -> new ArrayList<>()).add(c.conversationId()));
        if (tenants.isEmpty()) {
            return Mono.empty();
        }
        return Mono.defer(() -> {
            Announcements.Collector out = new Announcements.Collector();
            return engine.lockTenants(tenants)
                    .then(engine.open(opened, out))
                    .then(escalateByKeywords(texts, out))
                    .then(Flux.fromIterable(closed.entrySet())
                            .concatMap(e -> engine.move(e.getKey(), e.getValue().toArray(UUID[]::new), null,
                                    Set.of(AssignmentEngine.BOT, AssignmentEngine.WAITING, AssignmentEngine.ASSIGNED),
                                    AssignmentEngine.CLOSED, null, null))
                            .then())
                    .then(Flux.fromIterable(reopened.entrySet())
                            .concatMap(e -> engine.reopen(e.getKey(), e.getValue().toArray(UUID[]::new), out))
                            .then())
                    .then(engine.distributeAll(tenants, out))
                    .as(transaction::transactional)
                    .then(Mono.defer(() -> announcements.publish(out)));
        });
    }

    /** Conversations the bot handles whose inbound text has one of their keywords go to the queue. */
    private Mono<Void> escalateByKeywords(Map<UUID, List<MessageStored>> texts, Announcements.Collector out) {
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
                 WHERE c.conversation_id = ANY(:ids::uuid[]) AND c.state = 'bot'""")
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
