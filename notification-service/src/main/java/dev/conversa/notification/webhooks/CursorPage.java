package dev.conversa.notification.webhooks;

import java.util.List;

import org.jspecify.annotations.Nullable;

/** One page of a keyset listing: pass {@code nextCursor} as {@code cursor} for the next one; null on the last. */
record CursorPage<T>(List<T> items, @Nullable String nextCursor) {
}
