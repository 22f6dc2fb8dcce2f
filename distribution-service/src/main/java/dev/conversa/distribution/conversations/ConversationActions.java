package dev.conversa.distribution.conversations;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.distribution.engine.Announcements;
import dev.conversa.distribution.engine.AssignmentEngine;
import dev.conversa.distribution.engine.ConversationRow;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.security.Role;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Mono;

/**
 * Manual changes of who handles a conversation: escalate (bot → queue), return to the bot (frees the agent's slot),
 * reassign to a named agent (within their capacity), unassign (back to the queue). Each runs under the tenant's lock,
 * distributes the queue afterwards (a freed slot is taken at once) and announces after commit. An agent may act only on
 * conversations assigned to them; anything else of the tenant, or of another tenant, is 404.
 */
@Service
class ConversationActions {

    static final String MANUAL_ESCALATION = "manual";
    private static final Set<String> HANDLED = Set.of(AssignmentEngine.WAITING, AssignmentEngine.ASSIGNED);
    private static final Logger log = LoggerFactory.getLogger(ConversationActions.class);

    private final AssignmentEngine engine;
    private final Announcements announcements;
    private final TransactionalOperator transaction;
    private final DatabaseClient db;

    ConversationActions(AssignmentEngine engine, Announcements announcements, TransactionalOperator transaction,
            DatabaseClient db) {
        this.engine = engine;
        this.announcements = announcements;
        this.transaction = transaction;
        this.db = db;
    }

    Mono<ConversationView> get(ConversaPrincipal caller, UUID id) {
        return visible(caller, id).map(ConversationView::of);
    }

    Mono<ConversationView> escalate(ConversaPrincipal caller, UUID id) {
        return change(caller, id, row -> {
            if (!AssignmentEngine.BOT.equals(row.state())) {
                return Mono.error(ApiException.conflict("conversation " + id + " is not handled by the bot (it is "
                        + row.state() + ")"));
            }
            return engine.move(caller.tenantId(), new UUID[] {id}, null, Set.of(AssignmentEngine.BOT),
                    AssignmentEngine.WAITING, Announcements.ESCALATED, MANUAL_ESCALATION);
        });
    }

    Mono<ConversationView> returnToBot(ConversaPrincipal caller, UUID id) {
        return change(caller, id, row -> {
            if (!HANDLED.contains(row.state())) {
                return Mono.error(ApiException.conflict("conversation " + id + " is " + row.state()));
            }
            return engine.move(caller.tenantId(), new UUID[] {id}, null, HANDLED, AssignmentEngine.BOT,
                    Announcements.RETURNED_TO_BOT, caller.has(Role.AGENT) && caller.userId().equals(row.agentId())
                            ? "returned-by-agent" : "returned-by-supervisor");
        });
    }

    Mono<ConversationView> unassign(ConversaPrincipal caller, UUID id) {
        return change(caller, id, row -> {
            if (!AssignmentEngine.ASSIGNED.equals(row.state())) {
                return Mono.error(ApiException.conflict("conversation " + id + " is not assigned (it is "
                        + row.state() + ")"));
            }
            return engine.move(caller.tenantId(), new UUID[] {id}, null, Set.of(AssignmentEngine.ASSIGNED),
                    AssignmentEngine.WAITING, Announcements.UNASSIGNED, "unassigned-by-supervisor");
        });
    }

    Mono<ConversationView> reassign(ConversaPrincipal caller, UUID id, String agentId) {
        return change(caller, id, row -> {
            if (AssignmentEngine.CLOSED.equals(row.state())) {
                return Mono.error(ApiException.conflict("conversation " + id + " is closed"));
            }
            if (agentId.equals(row.agentId())) {
                return Mono.just(List.<ConversationRow>of());
            }
            return agentExists(caller.tenantId(), agentId)
                    .then(engine.move(caller.tenantId(), new UUID[] {id}, new String[] {agentId},
                            Set.of(AssignmentEngine.BOT, AssignmentEngine.WAITING, AssignmentEngine.ASSIGNED),
                            AssignmentEngine.ASSIGNED, Announcements.ASSIGNED, "reassigned"))
                    .flatMap(rows -> engine.addLoad(caller.tenantId(), java.util.Map.of(agentId, 1))
                            .onErrorMap(AssignmentEngine.CapacityExceededException.class,
                                    e -> ApiException.conflict("agent " + agentId + " has no capacity left"))
                            .thenReturn(rows));
        });
    }

    private Mono<Void> agentExists(String tenantId, String agentId) {
        return db.sql("SELECT 1 FROM distribution.agents WHERE tenant_id = :tenant AND user_id = :user")
                .bind("tenant", tenantId).bind("user", agentId)
                .map(row -> true)
                .one()
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("agent", agentId)))
                .then();
    }

    /** The conversation if the caller may see it: the whole tenant for supervisors, their own for agents. */
    private Mono<ConversationRow> visible(ConversaPrincipal caller, UUID id) {
        return engine.row(caller.tenantId(), id)
                .filter(row -> caller.hasAny(Role.ADMIN, Role.SUPERVISOR, Role.SERVICE, Role.BOT)
                        || caller.userId().equals(row.agentId()))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("conversation", id)));
    }

    private Mono<ConversationView> change(ConversaPrincipal caller, UUID id,
            java.util.function.Function<ConversationRow, Mono<List<ConversationRow>>> action) {
        return Mono.defer(() -> {
            Announcements.Collector out = new Announcements.Collector();
            return engine.lockTenants(List.of(caller.tenantId()))
                    .then(visible(caller, id))
                    .flatMap(action)
                    .doOnNext(rows -> rows.forEach(out::add))
                    .then(engine.distribute(caller.tenantId(), out))
                    .as(transaction::transactional)
                    .then(Mono.defer(() -> announcements.publish(out)))
                    .then(engine.row(caller.tenantId(), id))
                    .doOnNext(row -> log.info("Conversation {} of tenant {} by {}: now {} (agent {})", id,
                            caller.tenantId(), caller.userId(), row.state(), row.agentId()))
                    .map(ConversationView::of);
        });
    }
}
