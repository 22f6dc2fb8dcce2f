package dev.conversa.message.search;

import java.util.List;

/** One page of search results: {@code page} is 0-based, {@code total} counts every match of every page. */
record SearchPage(List<SearchHit> items, int page, int size, long total) {
}
