package dev.conversa.campaign.contacts;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * Turns the bytes of an upload into characters, chunk by chunk, choosing the encoding from the first
 * {@link #SNIFF_BYTES} bytes: a UTF-8 byte order mark means UTF-8 (the mark is dropped); bytes that are valid UTF-8
 * mean UTF-8; anything else is read as Latin-1 (ISO-8859-1, which every byte sequence is), the encoding spreadsheet
 * programs in Spain and Latin America export by default. Only those bytes are kept in memory while deciding; after
 * that each chunk is decoded as it comes (a multi-byte character split between chunks is carried over), and a byte
 * sequence invalid in the chosen UTF-8 becomes U+FFFD.
 */
final class TextDecoder {

    /** Receives decoded characters; the array is reused after the call. */
    interface CharSink {
        void chars(char[] chars, int offset, int length);
    }

    static final int SNIFF_BYTES = 64 * 1024;

    private final CharSink sink;
    private @Nullable ByteBuffer sniffed = ByteBuffer.allocate(SNIFF_BYTES);
    private @Nullable CharsetDecoder decoder;
    private final ByteBuffer carry = ByteBuffer.allocate(16);
    private final CharBuffer out = CharBuffer.allocate(16 * 1024);

    TextDecoder(CharSink sink) {
        this.sink = sink;
    }

    /** The encoding chosen; null until enough bytes were seen. */
    @Nullable Charset charset() {
        return decoder == null ? null : decoder.charset();
    }

    void feed(ByteBuffer bytes) {
        if (decoder == null) {
            ByteBuffer sniff = sniffed;
            int take = Math.min(sniff.remaining(), bytes.remaining());
            ByteBuffer slice = bytes.slice(bytes.position(), take);
            sniff.put(slice);
            bytes.position(bytes.position() + take);
            if (sniff.hasRemaining()) {
                return;
            }
            decide(false);
        }
        decode(bytes, false);
    }

    void finish() {
        if (decoder == null) {
            decide(true);
        }
        decode(ByteBuffer.allocate(0), true);
        CharsetDecoder current = decoder;
        out.clear();
        current.flush(out);
        drain();
    }

    private void decide(boolean endOfInput) {
        ByteBuffer sniff = sniffed;
        sniff.flip();
        sniffed = null;
        Charset charset;
        if (sniff.remaining() >= 3 && (sniff.get(0) & 0xFF) == 0xEF && (sniff.get(1) & 0xFF) == 0xBB
                && (sniff.get(2) & 0xFF) == 0xBF) {
            sniff.position(3);
            charset = StandardCharsets.UTF_8;
        }
        else {
            charset = isUtf8(sniff.duplicate(), endOfInput) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        }
        decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        decode(sniff, false);
    }

    /** Whether the bytes are UTF-8; a character cut at the end of a not-yet-ended input does not count against. */
    static boolean isUtf8(ByteBuffer bytes, boolean endOfInput) {
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CharBuffer chars = CharBuffer.allocate(8 * 1024);
        while (true) {
            CoderResult result = strict.decode(bytes, chars, endOfInput);
            if (result.isError()) {
                return false;
            }
            if (result.isOverflow()) {
                chars.clear();
                continue;
            }
            if (!endOfInput || !bytes.hasRemaining()) {
                return true;
            }
            try {
                result.throwException();
            }
            catch (CharacterCodingException e) {
                return false;
            }
            return false;
        }
    }

    private void decode(ByteBuffer bytes, boolean endOfInput) {
        CharsetDecoder current = decoder;
        ByteBuffer input = bytes;
        if (carry.position() > 0) {
            carry.flip();
            input = ByteBuffer.allocate(carry.remaining() + bytes.remaining()).put(carry).put(bytes).flip();
            carry.clear();
        }
        while (true) {
            out.clear();
            CoderResult result = current.decode(input, out, endOfInput);
            drain();
            if (result.isOverflow()) {
                continue;
            }
            break;
        }
        if (input.hasRemaining()) {
            carry.put(input);
        }
    }

    private void drain() {
        out.flip();
        if (out.hasRemaining()) {
            sink.chars(out.array(), out.arrayOffset() + out.position(), out.remaining());
        }
    }
}
