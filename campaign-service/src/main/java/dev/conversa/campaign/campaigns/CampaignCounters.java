package dev.conversa.campaign.campaigns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Keeps {@code campaigns.pending … skipped} in step with the recipients: whoever moves recipients adds up the moves
 * here ({@link Deltas#move}) and applies them in the same transaction, one statement for every campaign, rows
 * locked in campaign id order.
 */
@Component
public class CampaignCounters {

    static final List<String> STATUSES = List.of("pending", "queued", "sent", "delivered", "read", "failed",
            "skipped");

    private final DatabaseClient db;

    CampaignCounters(DatabaseClient db) {
        this.db = db;
    }

    /** Recipient moves per campaign, as counter deltas. */
    public static final class Deltas {

        private final Map<UUID, long[]> byCampaign = new TreeMap<>();

        public void move(UUID campaignId, String from, String to) {
            if (from.equals(to)) {
                return;
            }
            long[] deltas = byCampaign.computeIfAbsent(campaignId, id -> new long[STATUSES.size()]);
            deltas[index(from)]--;
            deltas[index(to)]++;
        }

        public boolean isEmpty() {
            return byCampaign.isEmpty();
        }

        public java.util.Set<UUID> campaigns() {
            return byCampaign.keySet();
        }

        /** The delta of {@code status} for {@code campaignId}. */
        public long of(UUID campaignId, String status) {
            long[] deltas = byCampaign.get(campaignId);
            return deltas == null ? 0 : deltas[index(status)];
        }

        private static int index(String status) {
            int index = STATUSES.indexOf(status);
            if (index < 0) {
                throw new IllegalArgumentException("Unknown recipient status " + status);
            }
            return index;
        }
    }

    /** Applies the deltas (in the caller's transaction). */
    public Mono<Void> apply(Deltas deltas, java.time.Instant now) {
        if (deltas.isEmpty()) {
            return Mono.empty();
        }
        List<UUID> ids = new ArrayList<>(deltas.byCampaign.keySet());
        Map<String, Long[]> columns = new HashMap<>();
        for (int s = 0; s < STATUSES.size(); s++) {
            Long[] column = new Long[ids.size()];
            for (int i = 0; i < ids.size(); i++) {
                column[i] = deltas.byCampaign.get(ids.get(i))[s];
            }
            columns.put(STATUSES.get(s), column);
        }
        DatabaseClient.GenericExecuteSpec spec = db.sql("""
                UPDATE campaign.campaigns c
                   SET pending = c.pending + d.pending, queued = c.queued + d.queued, sent = c.sent + d.sent,
                       delivered = c.delivered + d.delivered, read = c.read + d.read, failed = c.failed + d.failed,
                       skipped = c.skipped + d.skipped, updated_at = :now
                  FROM (SELECT * FROM unnest(:ids::uuid[], :pending::bigint[], :queued::bigint[], :sent::bigint[],
                                             :delivered::bigint[], :read::bigint[], :failed::bigint[],
                                             :skipped::bigint[])
                                AS u(id, pending, queued, sent, delivered, read, failed, skipped)) d
                 WHERE c.id = d.id""")
                .bind("ids", ids.toArray(UUID[]::new))
                .bind("now", now);
        for (String status : STATUSES) {
            spec = spec.bind(status, columns.get(status));
        }
        return db.sql("SELECT id FROM campaign.campaigns WHERE id = ANY(:ids::uuid[]) ORDER BY id FOR UPDATE")
                .bind("ids", ids.toArray(UUID[]::new))
                .fetch()
                .all()
                .then(spec.fetch().rowsUpdated())
                .then();
    }
}
