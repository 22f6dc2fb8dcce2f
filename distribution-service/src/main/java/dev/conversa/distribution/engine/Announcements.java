package dev.conversa.distribution.engine;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.conversation.ConversationAssignment;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.messaging.OutgoingEvent;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * The events of distribution-service on {@code crm.conversation.events}, built from the state a transaction left:
 * type {@code last_event}, id derived from the conversation and its version, so announcing the same state again (a
 * redelivered record, a retried batch) repeats the same {@code ce_id}.
 */
@Component
public class Announcements {

    public static final String SOURCE = "/distribution-service";
    public static final String ASSIGNED = "assigned";
    public static final String UNASSIGNED = "unassigned";
    public static final String ESCALATED = "escalated";
    public static final String RETURNED_TO_BOT = "returned-to-bot";

    private final EventPublisher publisher;

    Announcements(EventPublisher publisher) {
        this.publisher = publisher;
    }

    /** Changes collected in a transaction, in order; a provisional one gives way to a later one of its conversation. */
    public static final class Collector {

        private final List<ConversationRow> rows = new ArrayList<>();
        private final List<Boolean> provisional = new ArrayList<>();

        public void add(ConversationRow row) {
            add(row, false);
        }

        public void add(ConversationRow row, boolean provisionalChange) {
            if (row.lastEvent() != null && !"closed".equals(row.state())) {
                rows.add(row);
                provisional.add(provisionalChange);
            }
        }

        /** The rows to announce: provisional ones are left out when a later change of the conversation follows. */
        public List<ConversationRow> rows() {
            Set<UUID> later = new HashSet<>();
            List<ConversationRow> kept = new ArrayList<>();
            for (int i = rows.size() - 1; i >= 0; i--) {
                ConversationRow row = rows.get(i);
                if (!(provisional.get(i) && later.contains(row.conversationId()))) {
                    kept.add(row);
                }
                later.add(row.conversationId());
            }
            return kept.reversed();
        }
    }

    public Mono<Void> publish(Collector collector) {
        List<OutgoingEvent> events = collector.rows().stream().map(Announcements::event).toList();
        return events.isEmpty() ? Mono.empty() : publisher.publishAll(Topics.CRM_CONVERSATION_EVENTS, events);
    }

    static OutgoingEvent event(ConversationRow row) {
        String key = row.conversationId().toString();
        EventMetadata metadata = new EventMetadata(
                Uuids.named("distribution", key, Long.toString(row.version())).toString(), type(row.lastEvent()),
                SOURCE, row.updatedAt(), key, row.tenantId(), row.sessionId().toString());
        ConversationAssignment payload = new ConversationAssignment(row.tenantId(), row.conversationId(),
                row.sessionId(), row.agentId(), row.previousAgentId(), row.lastReason(), row.botEnabled(),
                row.updatedAt());
        return new OutgoingEvent(metadata, payload, key);
    }

    static String type(String lastEvent) {
        return switch (lastEvent) {
            case ASSIGNED -> EventTypes.CONVERSATION_ASSIGNED;
            case UNASSIGNED -> EventTypes.CONVERSATION_UNASSIGNED;
            case ESCALATED -> EventTypes.CONVERSATION_ESCALATED;
            case RETURNED_TO_BOT -> EventTypes.CONVERSATION_RETURNED_TO_BOT;
            default -> throw new IllegalStateException("Unknown event " + lastEvent);
        };
    }
}
