package dev.conversa.message.conversations;

import java.util.List;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.events.EventTypes;
import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.paging.CursorPage;
import dev.conversa.web.paging.KeysetCursor;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Mono;

/**
 * What the conversations API does, always within the caller's tenant and visibility: a conversation of another
 * tenant, or one an agent is not assigned to, is "not found". Changes are optimistic: they name the version they
 * saw ({@code If-Match}) and fail with 412 when the conversation changed meanwhile.
 */
@Service
class ConversationService {

    private static final String CONVERSATIONS_CURSOR = "c1";
    private static final String MESSAGES_CURSOR = "m1";

    static final int MAX_PAGE_SIZE = 100;
    /** The newest unread messages a read receipt names; older ones are implied read by WhatsApp clients. */
    static final int MAX_READ_RECEIPTS = dev.conversa.events.command.ReadRequested.MAX_IDS;
    private static final Logger log = LoggerFactory.getLogger(ConversationService.class);

    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final ConversationEvents events;
    private final TransactionalOperator transaction;

    ConversationService(ConversationRepository conversations, MessageRepository messages, ConversationEvents events,
            TransactionalOperator transaction) {
        this.conversations = conversations;
        this.messages = messages;
        this.events = events;
        this.transaction = transaction;
    }

    Mono<CursorPage<Conversation>> list(ConversaPrincipal caller, ConversationFilter filter, @Nullable String cursor,
            int size) {
        return Mono.defer(() -> {
            checkSize(size);
            KeysetCursor after = KeysetCursor.decode(CONVERSATIONS_CURSOR, cursor);
            return conversations.list(caller, filter, after, size + 1).collectList()
                    .map(rows -> page(rows, size,
                            last -> new KeysetCursor(CONVERSATIONS_CURSOR, last.lastMessageAt(), last.id())));
        });
    }

    Mono<Conversation> get(ConversaPrincipal caller, UUID id) {
        return conversations.findVisible(caller, id)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("conversation", id)));
    }

    Mono<CursorPage<MessageView>> messages(ConversaPrincipal caller, UUID id, @Nullable String cursor, int size) {
        return Mono.defer(() -> {
            checkSize(size);
            KeysetCursor after = KeysetCursor.decode(MESSAGES_CURSOR, cursor);
            return get(caller, id)
                    .flatMap(conversation -> messages.page(caller.tenantId(), id, after, size + 1).collectList())
                    .map(rows -> page(rows, size,
                            last -> new KeysetCursor(MESSAGES_CURSOR, last.createdAt(), last.id())));
        });
    }

    /**
     * Changes status and/or bot flag if the conversation still has the version of {@code ifMatch}; emits
     * {@code closed.v1} when it closes, {@code updated.v1} otherwise. A patch that changes nothing answers the
     * conversation as it is, without a new version or an event.
     */
    Mono<Conversation> patch(ConversaPrincipal caller, UUID id, @Nullable String ifMatch, ConversationPatch patch) {
        return Mono.defer(() -> {
            Preconditions.Expected expected = Preconditions.ifMatch(ifMatch);
            ConversationStatus status = patch.status() == null ? null : status(patch.status());
            if (status == null && patch.botEnabled() == null) {
                throw ApiException.badRequest("nothing to change: give status and/or botEnabled");
            }
            return get(caller, id).flatMap(current -> {
                if (!expected.matches(current.version())) {
                    return Mono.error(Preconditions.failed(current.version()));
                }
                ConversationStatus newStatus = status == null ? current.status() : status;
                boolean newBot = patch.botEnabled() == null ? current.botEnabled() : patch.botEnabled();
                if (newStatus == current.status() && newBot == current.botEnabled()) {
                    return Mono.just(current);
                }
                return conversations.update(caller.tenantId(), id, current.version(), newStatus, newBot)
                        .switchIfEmpty(Mono.defer(() -> get(caller, id)
                                .flatMap(now -> Mono.error(Preconditions.failed(now.version())))))
                        .flatMap(updated -> {
                            String type = updated.status() == ConversationStatus.CLOSED
                                    && current.status() != ConversationStatus.CLOSED
                                            ? EventTypes.CONVERSATION_CLOSED : EventTypes.CONVERSATION_UPDATED;
                            log.info("Conversation {} {} by {} (version {})", id,
                                    type.equals(EventTypes.CONVERSATION_CLOSED) ? "closed" : "updated",
                                    requestedBy(caller), updated.version());
                            return events.changed(updated, type).thenReturn(updated);
                        });
            });
        });
    }

    /**
     * Marks the conversation read: the unread count drops to 0 (a new version, {@code updated.v1}) and the session's
     * owner is asked to send read receipts for the newest unread inbound messages (at most
     * {@value #MAX_READ_RECEIPTS}). With nothing unread, nothing changes and nothing is sent.
     */
    Mono<Conversation> markRead(ConversaPrincipal caller, UUID id) {
        return get(caller, id).flatMap(current -> conversations.clearUnread(caller.tenantId(), id)
                .flatMap(cleared -> conversations.newestInboundWaIds(caller.tenantId(), id,
                                Math.min(cleared.previouslyUnread(), MAX_READ_RECEIPTS))
                        .map(waIds -> new ReadOutcome(cleared.conversation(), waIds)))
                .as(transaction::transactional)
                .flatMap(outcome -> (outcome.waMessageIds().isEmpty() ? Mono.<Void>empty()
                        : events.readRequested(outcome.conversation(), outcome.waMessageIds(), requestedBy(caller)))
                        .then(events.changed(outcome.conversation(), EventTypes.CONVERSATION_UPDATED))
                        .doOnSuccess(done -> log.info("Conversation {} read by {}: {} read receipt(s) requested", id,
                                requestedBy(caller), outcome.waMessageIds().size()))
                        .thenReturn(outcome.conversation()))
                // nothing was unread (maybe a concurrent read just cleared it): the conversation as it is now
                .switchIfEmpty(Mono.defer(() -> get(caller, id))));
    }

    private record ReadOutcome(Conversation conversation, List<String> waMessageIds) {
    }

    static ConversationStatus status(String value) {
        try {
            return ConversationStatus.fromValue(value.strip());
        }
        catch (IllegalArgumentException e) {
            throw ApiException.badRequest("unknown status '" + value.strip() + "'; one of open, pending, closed");
        }
    }

    static String requestedBy(ConversaPrincipal caller) {
        return "user:" + caller.userId();
    }

    private static void checkSize(int size) {
        if (size < 1 || size > MAX_PAGE_SIZE) {
            throw ApiException.badRequest("size must be between 1 and " + MAX_PAGE_SIZE);
        }
    }

    private static <T> CursorPage<T> page(List<T> rows, int size,
            java.util.function.Function<T, KeysetCursor> cursorOf) {
        if (rows.size() <= size) {
            return new CursorPage<>(rows, null);
        }
        List<T> items = rows.subList(0, size);
        return new CursorPage<>(List.copyOf(items), cursorOf.apply(items.get(size - 1)).encode());
    }

    /** If-Match handling: which versions a request accepts, and the 412 / 428 problems. */
    static final class Preconditions {

        /** The versions an {@code If-Match} names; {@code any} for {@code *}. */
        record Expected(boolean any, List<Long> versions) {

            boolean matches(long version) {
                return any || versions.contains(version);
            }
        }

        private Preconditions() {
        }

        /** Strong comparison (RFC 9110): {@code "3"} matches version 3; weak tags ({@code W/"3"}) match nothing. */
        static Expected ifMatch(@Nullable String header) {
            if (header == null || header.isBlank()) {
                throw new ApiException(HttpStatus.PRECONDITION_REQUIRED, ProblemTypes.of("precondition-required"),
                        "Precondition required",
                        "send If-Match with the conversation's ETag (its version) to change it");
            }
            if (header.strip().equals("*")) {
                return new Expected(true, List.of());
            }
            List<Long> versions = new java.util.ArrayList<>();
            for (String tag : header.split(",")) {
                String value = tag.strip();
                if (value.startsWith("W/")) {
                    continue;
                }
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                try {
                    versions.add(Long.parseLong(value));
                }
                catch (NumberFormatException e) {
                    // an entity tag we never issued matches nothing
                }
            }
            return new Expected(false, versions);
        }

        static ApiException failed(long currentVersion) {
            return new ApiException(HttpStatus.PRECONDITION_FAILED, ProblemTypes.of("precondition-failed"),
                    "Precondition failed", "the conversation changed; it is now at version " + currentVersion
                            + ". Read it again and retry")
                    .with("currentVersion", currentVersion);
        }
    }
}
