package dev.conversa.web.paging;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One page of a keyset listing: pass {@code nextCursor} as {@code cursor} for the next one; null on the last.
 *
 * @param items      the page's items, in the listing's order
 * @param nextCursor the cursor of the page after this one, or null when this is the last
 */
public record CursorPage<T>(List<T> items, @Nullable String nextCursor) {

    public CursorPage {
        items = List.copyOf(items);
    }
}
