package dev.conversa.distribution.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import org.jspecify.annotations.Nullable;

import dev.conversa.web.problem.ApiException;

/** One page of a keyset listing: pass {@code nextCursor} as {@code cursor} for the next one; null on the last. */
public record CursorPage<T>(List<T> items, @Nullable String nextCursor) {

    public static final int MAX_SIZE = 100;

    /** An opaque cursor: {@code kind:value}, Base64url, so one listing refuses another's cursor. */
    public static String encode(String kind, String value) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + value).getBytes(StandardCharsets.UTF_8));
    }

    /** The value of a cursor of {@code kind}; null for none; 400 when it is not one this listing made. */
    public static @Nullable String decode(String kind, @Nullable String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(kind + ":")) {
                return text.substring(kind.length() + 1);
            }
        }
        catch (IllegalArgumentException e) {
            // below
        }
        throw ApiException.badRequest("cursor is not valid for this listing; use the nextCursor of a previous page");
    }

    public static void checkSize(int size) {
        if (size < 1 || size > MAX_SIZE) {
            throw ApiException.badRequest("size must be between 1 and " + MAX_SIZE);
        }
    }
}
