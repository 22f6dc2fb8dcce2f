package dev.conversa.notification.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.reactive.TransactionalOperator;

import dev.conversa.notification.alerts.AlertKind;
import dev.conversa.notification.alerts.AlertQueue;
import dev.conversa.web.periodic.PeriodicRound;
import reactor.core.publisher.Mono;

/**
 * The ticker that makes delivery attempts, on every instance: each {@code poll-interval} it claims due deliveries
 * ({@link DeliveryStore#claim}, {@code FOR UPDATE SKIP LOCKED}, so instances never take the same row), POSTs them
 * ({@link WebhookClient}, {@code concurrency} at a time) and writes each outcome with {@link RetryPolicy}: delivered,
 * retried later, or failed. Failed attempts count against the subscription; the one that reaches
 * {@code disable-after-failures} in a row disables it and queues a {@link AlertKind#WEBHOOK_DISABLED} e-mail, in the
 * same transaction. A row claimed by an instance that died is claimed again once its lease is over.
 */
@Component
class WebhookDispatcher implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final DeliveryStore store;
    private final WebhookClient client;
    private final SecretCipher cipher;
    private final RetryPolicy policy;
    private final AlertQueue alerts;
    private final TransactionalOperator transactions;
    private final WebhookProperties properties;
    private final String owner = instanceName();
    private final Counter delivered;
    private final Counter retried;
    private final Counter failed;
    private final PeriodicRound rounds;

    WebhookDispatcher(DeliveryStore store, WebhookClient client, SecretCipher cipher, AlertQueue alerts,
            TransactionalOperator transactions, WebhookProperties properties, MeterRegistry meters) {
        this.delivered = attempts(meters, "delivered");
        this.retried = attempts(meters, "retry");
        this.failed = attempts(meters, "failed");
        this.store = store;
        this.client = client;
        this.cipher = cipher;
        this.policy = new RetryPolicy(properties);
        this.alerts = alerts;
        this.transactions = transactions;
        this.properties = properties;
        this.rounds = new PeriodicRound(WebhookDispatcher.class, "Dispatching webhooks", Duration.ZERO,
                properties.pollInterval(), this::dispatchDue);
    }

    /** {@code conversa.webhook.attempts{outcome}}: delivered, failed and to be retried, or failed for good. */
    private static Counter attempts(MeterRegistry meters, String outcome) {
        return Counter.builder("conversa.webhook.attempts").tag("outcome", outcome)
                .description("Webhook delivery attempts by outcome").register(meters);
    }

    /** Claims and attempts what is due, again while full claims come back; answers how many were attempted. */
    Mono<Long> dispatchDue() {
        return dispatchOnce()
                .expand(count -> count >= properties.claimSize() ? dispatchOnce() : Mono.empty())
                .reduce(0L, Long::sum);
    }

    private Mono<Long> dispatchOnce() {
        return store.claim(owner, properties.claimSize(), properties.lease())
                .flatMap(this::attempt, properties.concurrency())
                .count();
    }

    private Mono<Void> attempt(ClaimedDelivery delivery) {
        String secret;
        try {
            secret = cipher.open(delivery.secretEncrypted(), delivery.subscriptionId());
        }
        catch (IllegalStateException e) {
            log.error("Webhook delivery {} of subscription {} cannot be signed: {}", delivery.id(),
                    delivery.subscriptionId(), e.getMessage());
            return recordFailure(delivery, new WebhookClient.Attempt(null, null, "secret unreadable", true));
        }
        return client.post(delivery.url(), delivery.eventId(), secret, delivery.body())
                .flatMap(attempt -> attempt.status() != null && RetryPolicy.isSuccess(attempt.status())
                        ? recordSuccess(delivery, attempt.status())
                        : recordFailure(delivery, attempt))
                .onErrorResume(error -> {
                    // the outcome could not be written: the lease runs out and the delivery is attempted again
                    log.warn("Could not record the outcome of webhook delivery {}: {}", delivery.id(),
                            error.toString());
                    return Mono.empty();
                });
    }

    private Mono<Void> recordSuccess(ClaimedDelivery delivery, int status) {
        delivered.increment();
        return store.delivered(delivery, status)
                .filter(ours -> ours)
                .flatMap(ours -> store.resetFailures(delivery.subscriptionId()))
                .as(transactions::transactional)
                .then();
    }

    private Mono<Void> recordFailure(ClaimedDelivery delivery, WebhookClient.Attempt attempt) {
        boolean retryable = !attempt.refused()
                && (attempt.status() == null || RetryPolicy.isRetryable(attempt.status()));
        Instant now = Instant.now();
        Duration retryAfter = RetryPolicy.parseRetryAfter(attempt.retryAfter(), now);
        Instant next = retryable
                ? policy.nextAttempt(now, delivery.retryFrom(), delivery.attempts() + 1, retryAfter) : null;
        String error = attempt.status() != null ? "HTTP " + attempt.status() : String.valueOf(attempt.error());
        (next == null ? failed : retried).increment();
        log.info("Webhook delivery {} of subscription {} attempt {} failed ({}); {}", delivery.id(),
                delivery.subscriptionId(), delivery.attempts() + 1, error,
                next == null ? "no more retries" : "next attempt at " + next);
        return store.attemptFailed(delivery, attempt.status(), error, next)
                .filter(ours -> ours)
                .flatMap(ours -> store.countFailure(delivery.subscriptionId(), properties.disableAfterFailures(),
                        "disabled after " + properties.disableAfterFailures() + " failed attempts in a row; last: "
                                + error))
                .filter(DeliveryStore.FailureCount::justDisabled)
                .flatMap(count -> disabled(delivery, count, error))
                .as(transactions::transactional)
                .then();
    }

    private Mono<Long> disabled(ClaimedDelivery delivery, DeliveryStore.FailureCount count, String error) {
        log.warn("Webhook subscription {} of tenant {} disabled after {} failed attempts in a row",
                delivery.subscriptionId(), count.tenantId(), count.consecutiveFailures());
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("subscriptionId", delivery.subscriptionId().toString());
        facts.put("url", count.url());
        facts.put("failures", Integer.toString(count.consecutiveFailures()));
        facts.put("lastError", error);
        return alerts.enqueue(count.tenantId(), AlertKind.WEBHOOK_DISABLED,
                "webhook-disabled:" + delivery.subscriptionId() + ":" + delivery.id(), facts);
    }

    @Override
    public void start() {
        rounds.start();
    }

    @Override
    public void stop() {
        rounds.stop();
    }

    @Override
    public boolean isRunning() {
        return rounds.isRunning();
    }

    static String instanceName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException e) {
            host = "unknown";
        }
        return host + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
