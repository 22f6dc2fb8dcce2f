package dev.conversa.notification.stream;

import java.util.Optional;

/**
 * A Redis Stream entry id, {@code <milliseconds>-<sequence>}: the SSE id of every event. Ids of one tenant's log are
 * strictly increasing in the order the events were added, so a {@code Last-Event-ID} says exactly what a client has.
 */
public record StreamId(long millis, long sequence) implements Comparable<StreamId> {

    /** Below every real entry id. */
    public static final StreamId ZERO = new StreamId(0, 0);

    public StreamId {
        if (millis < 0 || sequence < 0) {
            throw new IllegalArgumentException("Stream ids are not negative");
        }
    }

    /** The id of text such as {@code 1700000000000-3}, or empty when it is not one. */
    public static Optional<StreamId> parse(String text) {
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1 || text.length() > 41) {
            return Optional.empty();
        }
        try {
            long millis = Long.parseUnsignedLong(text, 0, dash, 10);
            long sequence = Long.parseUnsignedLong(text, dash + 1, text.length(), 10);
            return millis < 0 || sequence < 0 ? Optional.empty() : Optional.of(new StreamId(millis, sequence));
        }
        catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Like {@link #parse}, for ids Redis itself answered. */
    public static StreamId of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException("Not a stream id: " + text));
    }

    /** The smallest id above this one: {@code XRANGE} from it reads what comes after this entry. */
    public StreamId next() {
        return sequence == Long.MAX_VALUE ? new StreamId(millis + 1, 0) : new StreamId(millis, sequence + 1);
    }

    public boolean isAfter(StreamId other) {
        return compareTo(other) > 0;
    }

    @Override
    public int compareTo(StreamId other) {
        int byMillis = Long.compare(millis, other.millis);
        return byMillis != 0 ? byMillis : Long.compare(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return millis + "-" + sequence;
    }
}
