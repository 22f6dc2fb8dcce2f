package dev.conversa.web.paging;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.web.problem.ApiException;

/**
 * An opaque keyset cursor: the sort key of the last item of a page ({@code at}, possibly null, and {@code id}),
 * Base64url-encoded with a kind prefix so a cursor of one listing is refused by another. Timestamps keep
 * PostgreSQL's microseconds, so no row is skipped or repeated between pages. Listings ordered by a time-ordered id
 * alone (UUIDv7) leave {@code at} null.
 *
 * @param kind the listing's short tag, e.g. {@code "c1"}
 * @param at   the time part of the last item's sort key, if the listing sorts by one
 * @param id   the id of the last item
 */
public record KeysetCursor(String kind, @Nullable Instant at, UUID id) {

    /** The cursor after an item of a listing ordered by id alone. */
    public static KeysetCursor afterId(String kind, UUID id) {
        return new KeysetCursor(kind, null, id);
    }

    public String encode() {
        String atPart = at == null ? "" : Long.toString(micros(at));
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + atPart + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The cursor of {@code kind} in {@code value}, null for none; 400 when it is not one this listing made. */
    public static @Nullable KeysetCursor decode(String kind, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split(":", -1);
            if (parts.length != 3 || !parts[0].equals(kind)) {
                throw invalid();
            }
            Instant at = parts[1].isEmpty() ? null : fromMicros(Long.parseLong(parts[1]));
            return new KeysetCursor(kind, at, UUID.fromString(parts[2]));
        }
        catch (IllegalArgumentException | ArithmeticException e) {
            throw invalid();
        }
    }

    /** The id in a cursor of {@code kind}, null for none; 400 when it is not one this listing made. */
    public static @Nullable UUID decodeId(String kind, @Nullable String value) {
        KeysetCursor cursor = decode(kind, value);
        return cursor == null ? null : cursor.id();
    }

    private static ApiException invalid() {
        return ApiException.badRequest("cursor is not valid for this listing; use the nextCursor of a previous page");
    }

    private static long micros(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1_000);
    }

    private static Instant fromMicros(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }
}
