package dev.conversa.notification.stream;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A Kafka event translated for browsers, before it gets its place in the replay log.
 *
 * @param sourceId       the CloudEvent id: the log holds one entry per id
 * @param name           the SSE event name
 * @param tenantId       the tenant
 * @param scope          which roles see it
 * @param conversationId the conversation it concerns, for {@link Scope#CONVERSATION}
 * @param assignee       what it does to the conversation's assignee (kept in Redis for the message events)
 * @param newAssignee    for {@link AssigneeChange#SET}: the agent now assigned
 * @param agents         the agents the event names itself (assignee, previous agent); the relay adds the agent the
 *                       conversation was assigned to before (for conversation events) or is assigned to now (for
 *                       message events)
 * @param data           the JSON data for the frontend
 */
public record RelayedEvent(String sourceId, String name, String tenantId, Scope scope,
        @Nullable String conversationId, AssigneeChange assignee, @Nullable String newAssignee, List<String> agents,
        String data) {

    public RelayedEvent {
        agents = List.copyOf(agents);
    }

    /** How an event changes the conversation → assignee map. */
    public enum AssigneeChange {
        /** Not a conversation event. */
        NONE,
        /** A message event: visible to the conversation's current assignee. */
        READ,
        /** The conversation is assigned to {@code newAssignee} from now on. */
        SET,
        /** Nobody handles the conversation from now on (unassigned, escalated to the queue, bot, closed). */
        CLEAR
    }
}
