package dev.conversa.events.command;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * Payload of {@code conversa.message.read-requested.v1} on {@code wa.commands}: mark messages a contact sent to a
 * session as read on WhatsApp (blue ticks), e.g. when an agent opens the conversation. The session's owner sends the
 * read receipts at once if the session is connected on it and drops the command otherwise; nothing is reported back.
 *
 * @param tenantId     the tenant owning the session
 * @param sessionId    the session (WhatsApp number) that received the messages; also the record key
 * @param contactPhone the contact who sent the messages, E.164
 * @param waMessageIds the WhatsApp ids of the inbound messages to mark read, 1 to 100
 * @param requestedBy  who asked: a user id, or a service
 * @param requestedAt  when it was asked
 */
public record ReadRequested(
        String tenantId,
        UUID sessionId,
        String contactPhone,
        List<String> waMessageIds,
        String requestedBy,
        Instant requestedAt) {

    /** The most ids one command may carry. */
    public static final int MAX_IDS = 100;

    public ReadRequested {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(contactPhone, "contactPhone");
        Objects.requireNonNull(waMessageIds, "waMessageIds");
        Objects.requireNonNull(requestedBy, "requestedBy");
        Objects.requireNonNull(requestedAt, "requestedAt");
        waMessageIds = List.copyOf(waMessageIds);
        if (waMessageIds.isEmpty() || waMessageIds.size() > MAX_IDS) {
            throw new IllegalArgumentException(
                    "waMessageIds must hold 1 to " + MAX_IDS + " ids, not " + waMessageIds.size());
        }
        if (waMessageIds.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("waMessageIds must not hold a blank id");
        }
    }
}
