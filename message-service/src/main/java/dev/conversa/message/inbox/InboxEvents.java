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
import dev.conversa.web.id.Uuids;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Publishes what the inbox wrote on {@code crm.conversation.events}, keyed by conversation, after the transaction
 * committed. Event ids are derived from the state they announce, so announcing the same state again (a redelivered
 * record, a crash between commit and publish) repeats the same {@code ce_id} and consumers drop the copy:
 * {@code opened} per conversation, {@code updated} per (conversation, version), {@code stored} per (message, status).
 * Events of one conversation go out one after another, in the order given; conversations go out in parallel.
 */
@Component
public class InboxEvents {

    public static final String SOURCE = "/message-service";

    private static final Logger log = LoggerFactory.getLogger(InboxEvents.class);
    private static final int PARALLEL_CONVERSATIONS = 32;

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
     * {@code messages}, {@code updated} for {@code updated}.
     */
    public Mono<Void> publish(Collection<ConversationRow> opened, Collection<MessageRow> messages,
            Collection<ConversationRow> updated) {
        Map<UUID, List<Mono<Void>>> byConversation = new LinkedHashMap<>();
        opened.forEach(row -> add(byConversation, row.id(), conversationEvent(EventTypes.CONVERSATION_OPENED,
                openedEventId(row.id()), row)));
        messages.forEach(row -> add(byConversation, row.conversationId(), stored(row)));
        updated.forEach(row -> add(byConversation, row.id(), conversationEvent(EventTypes.CONVERSATION_UPDATED,
                updatedEventId(row.id(), row.version()), row)));
        return Flux.fromIterable(byConversation.values())
                .flatMap(events -> Flux.concat(events).then(), PARALLEL_CONVERSATIONS)
                .then();
    }

    /** {@code conversa.conversation.updated.v1} with the conversation's state. */
    public Mono<Void> updated(ConversationRow row) {
        return conversationEvent(EventTypes.CONVERSATION_UPDATED, updatedEventId(row.id(), row.version()), row);
    }

    /** {@code conversa.message.stored.v1} with the message's state. */
    public Mono<Void> stored(MessageRow row) {
        return Mono.defer(() -> {
            MessageStored event = new MessageStored(row.tenantId(), row.conversationId(), row.id(), row.sessionId(),
                    row.waMessageId(), row.direction(), row.type(), row.status(), row.contactPhone(), row.text(),
                    media(row), row.correlationId(), row.timestamp(), row.updatedAt());
            String key = row.conversationId().toString();
            EventMetadata metadata = new EventMetadata(storedEventId(row.id(), row.status()).toString(),
                    EventTypes.MESSAGE_STORED, SOURCE, Instant.now(), key, row.tenantId(),
                    row.sessionId().toString());
            return publisher.publish(Topics.CRM_CONVERSATION_EVENTS, metadata, event, key);
        });
    }

    private Mono<Void> conversationEvent(String type, UUID id, ConversationRow row) {
        return Mono.defer(() -> {
            String key = row.id().toString();
            EventMetadata metadata = new EventMetadata(id.toString(), type, SOURCE, Instant.now(), key,
                    row.tenantId(), row.sessionId().toString());
            return publisher.publish(Topics.CRM_CONVERSATION_EVENTS, metadata, row.toEvent(), key);
        });
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

    private static void add(Map<UUID, List<Mono<Void>>> byConversation, UUID conversationId, Mono<Void> event) {
        byConversation.computeIfAbsent(conversationId, id -> new ArrayList<>()).add(event);
    }
}
