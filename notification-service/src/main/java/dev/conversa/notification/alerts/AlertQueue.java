package dev.conversa.notification.alerts;

import java.util.Map;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Queues an alert e-mail for each of a tenant's recipients who wants its kind ({@code notification.alert_emails},
 * unique per event and recipient: a redelivered event queues nothing new). Runs in the caller's transaction, if any.
 */
@Component
public class AlertQueue {

    private final DatabaseClient db;

    AlertQueue(DatabaseClient db) {
        this.db = db;
    }

    /** Answers how many e-mails were queued. */
    public Mono<Long> enqueue(String tenantId, AlertKind kind, String eventId, Map<String, String> facts) {
        AlertMessages.Rendered message = AlertMessages.render(kind, tenantId, facts);
        return db.sql("""
                INSERT INTO notification.alert_emails (id, tenant_id, event_id, kind, recipient, subject, body)
                SELECT gen_random_uuid(), r.tenant_id, :event, :kind, r.email, :subject, :body
                  FROM notification.alert_recipients r
                 WHERE r.tenant_id = :tenant AND (cardinality(r.kinds) = 0 OR :kind = ANY(r.kinds))
                ON CONFLICT (event_id, recipient) DO NOTHING
                """)
                .bind("event", eventId).bind("kind", kind.value()).bind("subject", message.subject())
                .bind("body", message.body()).bind("tenant", tenantId)
                .fetch().rowsUpdated();
    }
}
