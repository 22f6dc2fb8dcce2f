package dev.conversa.message.inbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.conversation.MessageStored;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MediaAttachment;
import dev.conversa.messaging.EventPublisher;
import dev.conversa.messaging.OutgoingEvent;
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Mono;

/**
 * Publishes what the inbox wrote on {@code crm.conversation.events}, keyed by conversation, after the transaction
 * committed. Event ids are derived from the state they announce, so announcing the same state again (a redelivered
 * record, a crash between commit and publish) repeats the same {@code ce_id} and consumers drop the copy:
 * {@code opened} per conversation, {@code updated} per (conversation, version), {@code stored} per (message, status).
 * A batch's events go out in one {@link EventPublisher#publishAll}: those of one conversation in the order given.
 */
@Component
public class InboxEvents {

    public static final String SOURCE = "/message-service";

    private static final Logger log = LoggerFactory.getLogger(InboxEvents.class);

    private final EventPublisher publisher;
    private final CloudEventCodec codec;

    public InboxEvents(EventPublisher publisher, CloudEventCodec codec) {
        this.publisher = publisher;
        this.codec = codec;
    }

    public static UUID openedEventId(UUID conversationId) {
        return Uuids.named("conversation-opened", conversationId.toString());
    }

    /** The same id the REST API uses for a conversation's state at a version ({@code conversations} package). */
    public static UUID updatedEventId(UUID conversationId, long version) {
        return Uuids.named("conversation", conversationId.toString(), Long.toString(version));
    }

    /** The id of {@code conversa.message.stored.v1} for a message in a status (as the first inbox code had it). */
    public static UUID storedEventId(UUID messageId, DeliveryStatus status) {
        return Uuids.named("stored", messageId.toString(), status.value());
    }

    /**
     * Publishes, per conversation and in this order: {@code opened} for {@code opened}, {@code stored} for each of
     * {@code messages}, {@code updated} for {@code updated}; all of them in one {@link EventPublisher#publishAll}
     * (records of one conversation share a key, so they keep this order), completing when the broker has them all.
     */
    public Mono<Void> publish(Collection<ConversationRow> opened, Collection<MessageRow> messages,
            Collection<ConversationRow> updated) {
        return Mono.defer(() -> {
            Map<UUID, List<OutgoingEvent>> byConversation = new LinkedHashMap<>();
            opened.forEach(row -> add(byConversation, row.id(), conversationEvent(EventTypes.CONVERSATION_OPENED,
                    openedEventId(row.id()), row)));
            messages.forEach(row -> add(byConversation, row.conversationId(), storedEvent(row)));
            updated.forEach(row -> add(byConversation, row.id(), conversationEvent(EventTypes.CONVERSATION_UPDATED,
                    updatedEventId(row.id(), row.version()), row)));
            List<OutgoingEvent> events = new ArrayList<>();
            byConversation.values().forEach(events::addAll);
            return publisher.publishAll(Topics.CRM_CONVERSATION_EVENTS, events);
        });
    }

    /** {@code conversa.conversation.updated.v1} with the conversation's state. */
    public Mono<Void> updated(ConversationRow row) {
        return Mono.defer(() -> send(conversationEvent(EventTypes.CONVERSATION_UPDATED,
                updatedEventId(row.id(), row.version()), row)));
    }

    /** {@code conversa.message.stored.v1} with the message's state. */
    public Mono<Void> stored(MessageRow row) {
        return Mono.defer(() -> send(storedEvent(row)));
    }

    private Mono<Void> send(OutgoingEvent event) {
        return publisher.publish(Topics.CRM_CONVERSATION_EVENTS, event.metadata(), event.payload(), event.key());
    }

    private OutgoingEvent storedEvent(MessageRow row) {
        MessageStored event = new MessageStored(row.tenantId(), row.conversationId(), row.id(), row.sessionId(),
                row.waMessageId(), row.direction(), row.type(), row.status(), row.contactPhone(), row.text(),
                media(row), row.correlationId(), row.timestamp(), row.updatedAt());
        String key = row.conversationId().toString();
        EventMetadata metadata = new EventMetadata(storedEventId(row.id(), row.status()).toString(),
                EventTypes.MESSAGE_STORED, SOURCE, Instant.now(), key, row.tenantId(), row.sessionId().toString());
        return new OutgoingEvent(metadata, event, key);
    }

    private static OutgoingEvent conversationEvent(String type, UUID id, ConversationRow row) {
        String key = row.id().toString();
        EventMetadata metadata = new EventMetadata(id.toString(), type, SOURCE, Instant.now(), key, row.tenantId(),
                row.sessionId().toString());
        return new OutgoingEvent(metadata, row.toEvent(), key);
    }

    private MediaAttachment media(MessageRow row) {
        if (row.media() == null) {
            return null;
        }
        try {
            return codec.json().readValue(row.media(), MediaAttachment.class);
        }
        catch (RuntimeException e) {
            log.warn("Message {} has media the event cannot carry: {}", row.id(), e.toString());
            return null;
        }
    }

    private static void add(Map<UUID, List<OutgoingEvent>> byConversation, UUID conversationId, OutgoingEvent event) {
        byConversation.computeIfAbsent(conversationId, id -> new ArrayList<>()).add(event);
    }
}
