package dev.conversa.message.assignment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.conversation.ConversationAssignment;
import dev.conversa.message.inbox.ConversationRow;
import dev.conversa.message.inbox.InboxEvents;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Applies distribution-service's decisions ({@code conversa.conversation.{assigned,unassigned,escalated,
 * returned-to-bot}.v1}) to the inbox's conversations: the agent handling it, whether the bot answers, and the status
 * that follows — {@code open} while an agent or the bot handles it, {@code pending} while it waits in the queue for
 * an agent; a closed conversation stays closed. Each change bumps the conversation's version and is announced as
 * {@code conversa.conversation.updated.v1}. An event that changes nothing (a redelivery) announces the current state
 * again under the same event id.
 */
@Component
class AssignmentRecorder {

    static final Set<String> TYPES = Set.of(EventTypes.CONVERSATION_ASSIGNED, EventTypes.CONVERSATION_UNASSIGNED,
            EventTypes.CONVERSATION_ESCALATED, EventTypes.CONVERSATION_RETURNED_TO_BOT);

    private static final Logger log = LoggerFactory.getLogger(AssignmentRecorder.class);

    private final DatabaseClient db;
    private final TransactionalOperator transaction;
    private final InboxEvents events;

    AssignmentRecorder(DatabaseClient db, TransactionalOperator transaction, InboxEvents events) {
        this.db = db;
        this.transaction = transaction;
        this.events = events;
    }

    Mono<Void> record(List<EventEnvelope<ConversationAssignment>> batch) {
        List<EventEnvelope<ConversationAssignment>> assignments = batch.stream()
                .filter(event -> TYPES.contains(event.type()) && !InboxEvents.SOURCE.equals(event.metadata().source()))
                .toList();
        if (assignments.isEmpty()) {
            return Mono.empty();
        }
        return store(assignments)
                .flatMap(rows -> events.publish(List.of(), List.of(), rows));
    }

    /** One transaction, the events in order; answers the final state of each conversation touched. */
    Mono<List<ConversationRow>> store(List<EventEnvelope<ConversationAssignment>> assignments) {
        return Flux.fromIterable(assignments)
                .concatMap(this::apply)
                .collectMap(ConversationRow::id, row -> row, LinkedHashMap<UUID, ConversationRow>::new)
                .map(rows -> (List<ConversationRow>) new ArrayList<>(rows.values()))
                .as(transaction::transactional);
    }

    private Mono<ConversationRow> apply(EventEnvelope<ConversationAssignment> event) {
        ConversationAssignment assignment = event.payload();
        return db.sql("""
                UPDATE message.conversations
                   SET assigned_agent_id = :agent,
                       bot_enabled = :bot,
                       status = CASE WHEN status = 'closed' THEN 'closed'
                                     WHEN :agent::text IS NOT NULL OR :bot THEN 'open'
                                     ELSE 'pending' END,
                       version = version + 1,
                       updated_at = now()
                 WHERE id = :id AND tenant_id = :tenant
                   AND (assigned_agent_id IS DISTINCT FROM :agent::text OR bot_enabled <> :bot
                        OR status <> CASE WHEN status = 'closed' THEN 'closed'
                                          WHEN :agent::text IS NOT NULL OR :bot THEN 'open'
                                          ELSE 'pending' END)
                RETURNING %s""".formatted(ConversationRow.COLUMNS))
                .bind("agent", Parameters.in(R2dbcType.VARCHAR, assignment.agentId()))
                .bind("bot", assignment.botEnabled())
                .bind("id", assignment.conversationId())
                .bind("tenant", assignment.tenantId())
                .map(row -> ConversationRow.from(row, false))
                .one()
                .doOnNext(row -> log.info("Conversation {} {}: agent {}, bot {}, {} (version {})", row.id(),
                        event.type(), row.assignedAgentId(), row.botEnabled(), row.status().value(), row.version()))
                .switchIfEmpty(Mono.defer(() -> current(assignment, event)));
    }

    /** Nothing to change: the state as it is (a redelivery announces it again), or nothing for an unknown one. */
    private Mono<ConversationRow> current(ConversationAssignment assignment,
            EventEnvelope<ConversationAssignment> event) {
        return db.sql("SELECT %s FROM message.conversations WHERE id = :id AND tenant_id = :tenant"
                        .formatted(ConversationRow.COLUMNS))
                .bind("id", assignment.conversationId())
                .bind("tenant", assignment.tenantId())
                .map(row -> ConversationRow.from(row, false))
                .one()
                .switchIfEmpty(Mono.fromRunnable(() -> log.warn("{} {} names conversation {} that tenant {} does "
                        + "not have: ignored", event.type(), event.id(), assignment.conversationId(),
                        assignment.tenantId())));
    }
}
