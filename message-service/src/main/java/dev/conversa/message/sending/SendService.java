package dev.conversa.message.sending;

import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.message.conversations.Conversation;
import dev.conversa.message.conversations.ConversationRepository;
import dev.conversa.message.conversations.MessageRepository;
import dev.conversa.message.conversations.MessageView;
import dev.conversa.message.media.MediaReferences;
import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.id.Uuids;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Mono;

/**
 * Sends a message on behalf of the caller, in a conversation the caller may see. The {@code pending} row is
 * committed first — its id is the command's {@code messageId}, its idempotency key the request's
 * {@code Idempotency-Key} (unique per tenant) or a generated one — and only then are the command and the stored
 * event published. A repeat with the same key and body finds the row, publishes the same command again while it
 * is still pending (session-service sends once per key), and answers the same message; the same key with another
 * body is refused (422). A message naming a stored file ({@code media.mediaId}) takes the file's MIME type and kind
 * from its record, which must be the caller's tenant's and sendable (422 otherwise), and links the file to the
 * message when the file belongs to none yet.
 */
@Service
class SendService {

    private static final Logger log = LoggerFactory.getLogger(SendService.class);
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7E]{1,255}$");

    private final ConversationRepository conversations;
    private final MessageRepository messages;
    private final PendingMessages pending;
    private final SendAnnouncements announcements;
    private final TransactionalOperator transaction;
    private final MediaReferences media;

    SendService(ConversationRepository conversations, MessageRepository messages, PendingMessages pending,
            SendAnnouncements announcements, TransactionalOperator transaction, MediaReferences media) {
        this.media = media;
        this.conversations = conversations;
        this.messages = messages;
        this.pending = pending;
        this.announcements = announcements;
        this.transaction = transaction;
    }

    /** The pending message, and whether an earlier request with the same key created it. */
    record Sent(MessageView message, boolean replayed) {
    }

    Mono<Sent> send(ConversaPrincipal caller, UUID conversationId, SendMessageRequest request,
            @Nullable String idempotencyKey) {
        return Mono.defer(() -> {
            if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
                throw ApiException.badRequest("Idempotency-Key must be 1 to 255 visible ASCII characters");
            }
            ValidSend.validate(request);
            String requestedBy = "user:" + caller.userId();
            return conversations.findVisible(caller, conversationId)
                    .switchIfEmpty(Mono.error(() -> ApiException.notFound("conversation", conversationId)))
                    .flatMap(conversation -> resolve(caller, request).flatMap(send -> replyTarget(caller,
                                    conversationId, send)
                            .flatMap(replyTo -> store(caller, conversation, send, replyTo.orElse(null),
                                    idempotencyKey, requestedBy))
                            .flatMap(stored -> messages.findById(caller.tenantId(), stored.messageId())
                                    .switchIfEmpty(Mono.error(() -> ApiException.conflict(
                                            "the message of this Idempotency-Key was archived; use a new key")))
                                    .flatMap(message -> publishIfPending(conversation, message, send,
                                            stored.key(), requestedBy)
                                            .thenReturn(new Sent(message, stored.replayed()))))));
        });
    }

    /** The request in the command's shapes; a stored file is looked up in the caller's tenant and decides (422). */
    private Mono<ValidSend> resolve(ConversaPrincipal caller, SendMessageRequest request) {
        UUID mediaId = ValidSend.storedMediaId(request);
        if (mediaId == null) {
            return Mono.fromCallable(() -> ValidSend.of(request));
        }
        return media.find(caller.tenantId(), mediaId)
                .map(java.util.Optional::of)
                .defaultIfEmpty(java.util.Optional.empty())
                .map(stored -> ValidSend.of(request, stored.orElse(null)));
    }

    private record Stored(UUID messageId, String key, boolean replayed) {
    }

    private Mono<Stored> store(ConversaPrincipal caller, Conversation conversation, ValidSend send,
            @Nullable String replyTo, @Nullable String idempotencyKey, String requestedBy) {
        UUID id = Uuids.v7();
        String key = idempotencyKey == null ? id.toString() : idempotencyKey;
        return pending.insert(id, caller.tenantId(), conversation.id(), conversation.sessionId(), send, replyTo, key,
                        requestedBy)
                .flatMap(inserted -> pending.touchConversation(conversation.id(), send.preview())
                        .then(linkMedia(caller, conversation, send, inserted))
                        .thenReturn(new Stored(inserted, key, false)))
                .switchIfEmpty(Mono.defer(() -> pending.findByKey(caller.tenantId(), key, conversation.id(), send,
                                replyTo)
                        .switchIfEmpty(Mono.error(() -> ApiException.conflict(
                                "A request with this Idempotency-Key is being processed; retry")))
                        .flatMap(existing -> existing.sameRequest()
                                ? Mono.just(new Stored(existing.messageId(), key, true))
                                : Mono.error(new ApiException(HttpStatus.UNPROCESSABLE_CONTENT,
                                        ProblemTypes.of("idempotency-key-reused"), "Idempotency key reused",
                                        "This Idempotency-Key was used for a different request")))))
                .as(transaction::transactional);
    }

    /** A stored file that belongs to no message yet becomes this message's, in the pending row's transaction. */
    private Mono<Void> linkMedia(ConversaPrincipal caller, Conversation conversation, ValidSend send,
            UUID messageId) {
        if (send.media() == null || send.media().mediaId() == null) {
            return Mono.empty();
        }
        return media.linkToMessage(caller.tenantId(), send.media().mediaId(), conversation.id(), messageId).then();
    }

    private Mono<Void> publishIfPending(Conversation conversation, MessageView message, ValidSend send, String key,
            String requestedBy) {
        if (!"pending".equals(message.status())) {
            // the command reached the session's owner already: it reported a status
            return Mono.empty();
        }
        String sender = message.sentBy() == null ? requestedBy : message.sentBy();
        return announcements.announce(conversation, message, send, key, sender)
                .doOnSuccess(done -> log.info("Send of {} {} requested in conversation {} by {}",
                        send.type().value(), message.id(), conversation.id(), sender));
    }

    /** The WhatsApp id of the quoted message; 400 when it is not a message of this conversation WhatsApp knows. */
    private Mono<java.util.Optional<String>> replyTarget(ConversaPrincipal caller, UUID conversationId,
            ValidSend send) {
        if (send.replyTo() == null) {
            return Mono.just(java.util.Optional.empty());
        }
        return pending.waMessageId(caller.tenantId(), conversationId, send.replyTo())
                .map(java.util.Optional::of)
                .switchIfEmpty(Mono.error(() -> ApiException.badRequest("replyTo " + send.replyTo()
                        + " is not a message of this conversation with a WhatsApp id")));
    }
}
