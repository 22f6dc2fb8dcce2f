package dev.conversa.message.search;

import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import dev.conversa.message.conversations.Visibility;
import dev.conversa.security.ConversaPrincipal;
import reactor.core.publisher.Mono;

/**
 * Full-text search over the messages of the caller's tenant and visible conversations. The query is read the way
 * people type into a search box ({@code websearch_to_tsquery}: words, {@code "quoted phrases"}, {@code or},
 * {@code -excluded}) once with Spanish and once with English stemming, and matched against the {@code search} column,
 * which holds both stemmings of each message: "pedidos" finds "pedido", "orders" finds "order". Results are ordered by
 * {@code ts_rank}, then newest first.
 */
@Repository
class MessageSearch {

    private final DatabaseClient db;

    MessageSearch(DatabaseClient db) {
        this.db = db;
    }

    Mono<SearchPage> search(ConversaPrincipal caller, String query, int page, int size) {
        String sql = """
                WITH q AS (SELECT websearch_to_tsquery('spanish', :q) || websearch_to_tsquery('english', :q) AS query)
                SELECT m.id, m.conversation_id, m.session_id, c.contact_phone, c.contact_name, m.direction, m.type,
                       m.status, m.text, COALESCE(m.wa_timestamp, m.created_at) AS timestamp,
                       ts_rank(m.search, q.query) AS rank, count(*) OVER () AS total
                  FROM q, message.messages m
                  JOIN message.conversations c ON c.id = m.conversation_id AND c.tenant_id = m.tenant_id
                 WHERE m.tenant_id = :tenantId AND m.search @@ q.query AND\s""" + Visibility.condition(caller, "c") + """

                 ORDER BY rank DESC, m.created_at DESC, m.id DESC
                 LIMIT :limit OFFSET :offset""";
        DatabaseClient.GenericExecuteSpec spec = db.sql(sql)
                .bind("q", query)
                .bind("tenantId", caller.tenantId())
                .bind("limit", size)
                .bind("offset", (long) page * size);
        if (Visibility.needsViewer(caller)) {
            spec = spec.bind(Visibility.VIEWER, caller.userId());
        }
        return spec.map(row -> new Row(new SearchHit(
                        row.get("id", UUID.class),
                        row.get("conversation_id", UUID.class),
                        row.get("session_id", UUID.class),
                        row.get("contact_phone", String.class),
                        row.get("contact_name", String.class),
                        row.get("direction", String.class),
                        row.get("type", String.class),
                        row.get("status", String.class),
                        row.get("text", String.class),
                        row.get("timestamp", OffsetDateTime.class).toInstant(),
                        row.get("rank", Float.class)), row.get("total", Long.class)))
                .all()
                .collectList()
                .flatMap(rows -> rows.isEmpty() && page > 0
                        ? count(caller, query).map(total -> new SearchPage(java.util.List.of(), page, size, total))
                        : Mono.just(new SearchPage(rows.stream().map(Row::hit).toList(), page, size,
                                rows.isEmpty() ? 0 : rows.getFirst().total())));
    }

    /** The number of matches, for a page past the last one (the window count has no row to ride on). */
    private Mono<Long> count(ConversaPrincipal caller, String query) {
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                        SELECT count(*) AS total FROM message.messages m
                          JOIN message.conversations c ON c.id = m.conversation_id AND c.tenant_id = m.tenant_id
                         WHERE m.tenant_id = :tenantId
                           AND m.search @@ (websearch_to_tsquery('spanish', :q) || websearch_to_tsquery('english', :q))
                           AND\s""" + Visibility.condition(caller, "c"))
                .bind("q", query)
                .bind("tenantId", caller.tenantId());
        if (Visibility.needsViewer(caller)) {
            spec = spec.bind(Visibility.VIEWER, caller.userId());
        }
        return spec.map(row -> row.get("total", Long.class)).one();
    }

    private record Row(SearchHit hit, long total) {
    }
}
