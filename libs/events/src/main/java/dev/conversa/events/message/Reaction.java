package dev.conversa.events.message;

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A reaction to an earlier message.
 *
 * @param waMessageId the WhatsApp id of the message reacted to
 * @param emoji       the emoji; {@code null} when the reaction was removed
 */
public record Reaction(String waMessageId, @Nullable String emoji) {

    public Reaction {
        Objects.requireNonNull(waMessageId, "waMessageId");
    }
}
