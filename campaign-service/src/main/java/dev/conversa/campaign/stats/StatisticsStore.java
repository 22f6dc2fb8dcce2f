package dev.conversa.campaign.stats;

import java.util.List;

import org.springframework.stereotype.Component;

import reactor.core.publisher.Mono;

/**
 * Keeps the monthly, daily, per-group and per-contact statistics up to date, incrementally, from recipient outcomes.
 * Called by the dispatch feature inside the transaction that changes the recipients, so statistics and recipients
 * never disagree.
 */
@Component
public class StatisticsStore {

    /** Applies the outcomes (in the caller's transaction). */
    public Mono<Void> record(List<RecipientOutcome> outcomes) {
        // the dashboards feature replaces this with the incremental upserts
        return Mono.empty();
    }
}
