package dev.conversa.notification.stream;

import java.nio.charset.StandardCharsets;

/**
 * One event as the bytes of a Server-Sent Events frame ({@code id:…\nevent:…\ndata:…\n\n}), encoded once per event
 * and written as is to every client that may see it.
 *
 * @param event the event
 * @param bytes its SSE frame, UTF-8; shared by every client, never modified
 */
public record SseFrame(ClientEvent event, byte[] bytes) {

    /** The keep-alive comment, {@code :heartbeat}. */
    static final byte[] HEARTBEAT = ":heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    /** The event's frame with its log entry id as the SSE id. */
    public static SseFrame of(ClientEvent event) {
        return new SseFrame(event, encode(event, true));
    }

    /** The event's frame without an id, for events that are no position in the log (a reset). */
    static SseFrame withoutId(ClientEvent event) {
        return new SseFrame(event, encode(event, false));
    }

    private static byte[] encode(ClientEvent event, boolean withId) {
        StringBuilder frame = new StringBuilder(event.data().length() + event.name().length() + 48);
        if (withId) {
            frame.append("id:").append(event.id()).append('\n');
        }
        frame.append("event:").append(event.name()).append('\n');
        // a data line ends at CR, LF or CRLF: each line of the data is a data field of its own
        for (String line : event.data().split("\r\n|\r|\n", -1)) {
            frame.append("data:").append(line).append('\n');
        }
        return frame.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }
}
