package dev.conversa.simulator.core;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * A message a phone sends to a business number: what a linked device receives as a {@code message} frame and the
 * Cloud API posts as a {@code messages[]} webhook entry.
 *
 * @param waMessageId  the WhatsApp id ({@code wamid.…})
 * @param from         the customer's number (digits)
 * @param to           the business number (digits)
 * @param pushName     the customer's profile name
 * @param type         text, image, document, audio, video, location, reaction, button, interactive
 * @param sentAtMicros when the phone sent it, in epoch microseconds, for load runs that
 *                     measure end-to-end latency; null outside load runs
 */
public record InboundMessage(
        String waMessageId,
        String from,
        String to,
        String pushName,
        String type,
        @Nullable String text,
        @Nullable Media media,
        @Nullable Location location,
        @Nullable Reaction reaction,
        @Nullable ButtonReply buttonReply,
        @Nullable String contextWaMessageId,
        Instant timestamp,
        @Nullable Long sentAtMicros) {

    /** Media of an inbound message, downloadable from the Cloud API media endpoints by {@code id}. */
    public record Media(String id, String mimeType, @Nullable String sha256, @Nullable Long fileSize,
            @Nullable String filename, @Nullable String caption) {
    }

    public record Location(double latitude, double longitude, @Nullable String name, @Nullable String address) {
    }

    public record Reaction(String waMessageId, @Nullable String emoji) {
    }

    public record ButtonReply(String id, String title) {
    }
}
