package dev.conversa.message.search;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Mono;

/**
 * {@code GET /api/v1/messages/search?q=}: full-text search over the messages the caller may see (Spanish and
 * English stemming, best match first), paginated by {@code page} (0-based) and {@code size} (1–100).
 */
@RestController
class SearchController {

    static final int MAX_QUERY = 200;
    static final int MAX_PAGE_SIZE = 100;
    /** Deep offsets cost a full sort each: refine the query instead. */
    static final int MAX_PAGE = 500;

    private final MessageSearch search;

    SearchController(MessageSearch search) {
        this.search = search;
    }

    @GetMapping("/api/v1/messages/search")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR', 'AGENT', 'BOT', 'SERVICE')")
    Mono<SearchPage> search(@RequestParam(required = false) String q, @RequestParam(defaultValue = "0") int page,
            @RequestParam(defaultValue = "20") int size, ConversaPrincipal caller) {
        return Mono.defer(() -> {
            String query = q == null ? "" : q.strip();
            if (query.isEmpty() || query.length() > MAX_QUERY) {
                throw ApiException.badRequest("q is required, 1 to " + MAX_QUERY + " characters");
            }
            if (page < 0 || page > MAX_PAGE) {
                throw ApiException.badRequest("page must be between 0 and " + MAX_PAGE);
            }
            if (size < 1 || size > MAX_PAGE_SIZE) {
                throw ApiException.badRequest("size must be between 1 and " + MAX_PAGE_SIZE);
            }
            return search.search(caller, query, page, size);
        });
    }
}
