package dev.conversa.simulator.webhook;

import org.jspecify.annotations.Nullable;

/**
 * What a number's webhook dispatcher did, counted in events (one message, status or account update each).
 *
 * @param queued         waiting to be posted now
 * @param held           {@code delivered} statuses held back for reordering
 * @param accepted       taken into the queue since registration
 * @param delivered      posted and answered 2xx
 * @param posts          successful POSTs (a POST carries up to {@code max-batch} events), duplicates included
 * @param failedAttempts POSTs answered non-2xx, timed out or refused; each is retried
 * @param duplicated     events posted a second time by the duplicate switch
 * @param abandoned      events given up after {@code max-attempts}
 * @param overflow       events refused because the queue was full: the only ones lost without a try
 * @param discarded      events dropped because the number has no webhook URL
 * @param lastError      the last failure, e.g. {@code 503 Service Unavailable} or {@code timeout}
 */
public record WebhookStats(long queued, long held, long accepted, long delivered, long posts, long failedAttempts,
        long duplicated, long abandoned, long overflow, long discarded, @Nullable String lastError) {
}
