package dev.conversa.notification.stream;

import java.util.List;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.security.Role;

/**
 * One event for browsers, as stored in the tenant's replay log and sent to clients: its SSE id (the log entry id),
 * name ({@code message.new} …), tenant, who may see it, and its JSON data, already serialized (it is written as is
 * into every client's stream).
 *
 * @param id       the replay log entry id, the SSE {@code id}
 * @param name     the SSE {@code event} name
 * @param tenantId the tenant
 * @param scope    which roles see it
 * @param agents   for {@link Scope#CONVERSATION}: the agents (user ids) who may see it
 * @param data     the JSON the frontend gets
 */
public record ClientEvent(StreamId id, String name, String tenantId, Scope scope, List<String> agents, String data) {

    public ClientEvent {
        agents = List.copyOf(agents);
    }

    /**
     * Whether {@code caller} may see this event: only its own tenant's; admins and supervisors see all of them;
     * an agent sees a conversation's and its messages' events while the conversation is (or, for the event that
     * takes it away, was) assigned to it, and no session, campaign or import events.
     */
    public boolean visibleTo(ConversaPrincipal caller) {
        if (!tenantId.equals(caller.tenantId())) {
            return false;
        }
        if (caller.hasAny(Role.ADMIN, Role.SUPERVISOR)) {
            return true;
        }
        return scope == Scope.CONVERSATION && caller.has(Role.AGENT) && agents.contains(caller.userId());
    }
}
