package dev.conversa.session.sessions;

import java.util.List;

/** One page of a listing: {@code page} is 0-based, {@code total} counts every item of every page. */
record PageResponse<T>(List<T> items, int page, int size, long total) {
}
