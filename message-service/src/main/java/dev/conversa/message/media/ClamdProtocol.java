package dev.conversa.message.media;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * clamd's {@code INSTREAM} command, as its manual describes it: {@code zINSTREAM\0}, then the file as chunks each
 * behind its length (4 bytes, network order), then a zero length; clamd answers one NUL-terminated line,
 * {@code stream: OK}, {@code stream: <signature> FOUND} or {@code <reason> ERROR}, and closes the connection.
 */
final class ClamdProtocol {

    static final byte[] COMMAND = "zINSTREAM\0".getBytes(StandardCharsets.US_ASCII);
    static final byte[] END = {0, 0, 0, 0};

    private ClamdProtocol() {
    }

    static byte[] lengthPrefix(int length) {
        return new byte[] {(byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

    static Outcome parse(String reply) {
        String line = reply.replace("\0", "").trim();
        if (line.endsWith("FOUND")) {
            String found = line.substring(0, line.length() - "FOUND".length()).trim();
            int colon = found.indexOf(':');
            return new Outcome(Verdict.INFECTED, colon >= 0 ? found.substring(colon + 1).trim() : found);
        }
        if (line.endsWith(": OK") || line.equals("OK")) {
            return new Outcome(Verdict.CLEAN, null);
        }
        return new Outcome(Verdict.ERROR, line.isEmpty() ? "no answer" : line);
    }

    enum Verdict {
        CLEAN, INFECTED, ERROR
    }

    /** @param detail the signature found, or the error clamd reported */
    record Outcome(Verdict verdict, @Nullable String detail) {
    }
}
