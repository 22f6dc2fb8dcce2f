package dev.conversa.notification.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import dev.conversa.web.problem.ApiException;

/**
 * Opaque keyset cursor of the webhook listings: the id (UUIDv7, time-ordered) of the last item of a page,
 * Base64url-encoded with a kind prefix so a cursor of one listing is refused by another.
 */
record Cursor(String kind, UUID id) {

    static final String SUBSCRIPTIONS = "w1";
    static final String DELIVERIES = "d1";

    String encode() {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + ":" + id).getBytes(StandardCharsets.UTF_8));
    }

    /** The id after which the page starts, or null for the first page; 400 for a cursor of another listing. */
    static @Nullable UUID decode(String kind, @Nullable String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            String[] parts = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8).split(":", -1);
            if (parts.length != 2 || !parts[0].equals(kind)) {
                throw invalid();
            }
            return UUID.fromString(parts[1]);
        }
        catch (IllegalArgumentException e) {
            throw invalid();
        }
    }

    private static ApiException invalid() {
        return ApiException.badRequest("cursor is not valid for this listing; use the nextCursor of a previous page");
    }
}
