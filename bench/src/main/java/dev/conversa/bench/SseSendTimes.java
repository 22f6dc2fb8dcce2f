package dev.conversa.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.LongConsumer;

import io.netty.buffer.ByteBuf;

/**
 * Reads the send times out of one SSE connection's bytes as they arrive, chunk by chunk, without decoding them to
 * text: each frame of the benchmark's events carries {@code "lastMessagePreview":"t<epoch µs>"} once, and that
 * number is all the benchmark needs. Done on the client's event loop for every frame of every client, so it copies
 * each chunk once into a reused array and finds the marker with Boyer-Moore-Horspool (a byte-by-byte scan was the
 * largest item of the client's profile). A marker or number split over two chunks is completed by the next one.
 */
final class SseSendTimes {

    private static final byte[] MARKER = "\"lastMessagePreview\":\"t".getBytes(StandardCharsets.US_ASCII);
    private static final int[] SHIFT = new int[256];

    static {
        Arrays.fill(SHIFT, MARKER.length);
        for (int i = 0; i < MARKER.length - 1; i++) {
            SHIFT[MARKER[i] & 0xff] = MARKER.length - 1 - i;
        }
    }

    private final LongConsumer sendTimes;
    private byte[] bytes = new byte[4096];
    private int carried;

    /** @param sendTimes gets each frame's send time (epoch µs), in the order of the frames */
    SseSendTimes(LongConsumer sendTimes) {
        this.sendTimes = sendTimes;
    }

    /** Scans one chunk; the buffer is not consumed nor released. */
    void read(ByteBuf chunk) {
        int length = carried + chunk.readableBytes();
        if (length > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(length, bytes.length * 2));
        }
        chunk.getBytes(chunk.readerIndex(), bytes, carried, chunk.readableBytes());
        int from = 0;
        int marker;
        while ((marker = find(bytes, from, length)) >= 0) {
            int digit = marker + MARKER.length;
            long number = 0;
            while (digit < length && bytes[digit] >= '0' && bytes[digit] <= '9') {
                number = number * 10 + (bytes[digit++] - '0');
            }
            if (digit == length) {
                // the number may go on in the next chunk: keep it from its marker
                keep(marker, length);
                return;
            }
            if (bytes[digit] == '"') {
                sendTimes.accept(number);
            }
            from = digit;
        }
        // a marker may begin in the last bytes
        keep(Math.max(from, length - (MARKER.length - 1)), length);
    }

    private void keep(int from, int length) {
        carried = length - from;
        System.arraycopy(bytes, from, bytes, 0, carried);
    }

    /** The index of the next marker in {@code bytes[from, to)}, or -1. */
    private static int find(byte[] bytes, int from, int to) {
        int last = MARKER.length - 1;
        int i = from;
        while (i + last < to) {
            int j = last;
            while (bytes[i + j] == MARKER[j]) {
                if (j-- == 0) {
                    return i;
                }
            }
            i += SHIFT[bytes[i + last] & 0xff];
        }
        return -1;
    }
}
