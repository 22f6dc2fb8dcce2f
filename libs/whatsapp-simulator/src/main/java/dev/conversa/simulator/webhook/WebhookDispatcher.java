package dev.conversa.simulator.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.conversa.simulator.ban.AccountNotice;
import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.Receipt;
import dev.conversa.simulator.core.ReceiptStatus;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.retry.Retry;
import tools.jackson.databind.node.ObjectNode;

/**
 * The webhook of one Cloud API number: events are rendered into Meta's shape as they come, queued in order (bounded
 * by {@code queue-capacity}) and posted one POST at a time, each signed with the number's app secret. A POST that
 * fails (non-2xx, timeout, refused connection) is retried with exponential back-off until it succeeds or
 * {@code max-attempts} is reached; later events wait behind it, so nothing is lost or overtaken while the receiver is
 * down. Only a full queue loses events, and they are counted ({@link WebhookStats#overflow()}).
 *
 * <p>Meta's own disorder is opt-in through {@link WebhookBehaviour}: a fraction of POSTs sent twice, and
 * {@code delivered} statuses held back until their {@code read} has been queued (at most {@code reorder-hold-max}).
 */
public final class WebhookDispatcher {

    private static final Logger log = LoggerFactory.getLogger(WebhookDispatcher.class);

    private final WebhookClient client;
    private final WebhookPayloads payloads;
    private final WebhookProperties properties;
    private final Supplier<WebhookBehaviour> globalBehaviour;
    private final LinkedBlockingQueue<ObjectNode> queue;
    private final Map<String, Held> held = new LinkedHashMap<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final LongAdder accepted = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder posts = new LongAdder();
    private final LongAdder failedAttempts = new LongAdder();
    private final LongAdder duplicated = new LongAdder();
    private final LongAdder abandoned = new LongAdder();
    private final LongAdder overflow = new LongAdder();
    private final LongAdder discarded = new LongAdder();
    private volatile WebhookTarget target;
    private volatile @Nullable WebhookBehaviour ownBehaviour;
    private volatile @Nullable String lastError;
    private volatile @Nullable Disposable inFlight;
    private volatile boolean closed;

    private record Held(ObjectNode entry, Disposable release) {
    }

    public WebhookDispatcher(WebhookTarget target, WebhookClient client, WebhookPayloads payloads,
            WebhookProperties properties, Supplier<WebhookBehaviour> globalBehaviour) {
        this.target = target;
        this.client = client;
        this.payloads = payloads;
        this.properties = properties;
        this.globalBehaviour = globalBehaviour;
        this.queue = new LinkedBlockingQueue<>(properties.queueCapacity());
    }

    public WebhookTarget target() {
        return target;
    }

    /** Points later POSTs at a new receiver or secret; what is queued goes there too. */
    public void retarget(WebhookTarget newTarget) {
        this.target = newTarget;
        drain();
    }

    /** The number's own behaviour, or null to follow the simulator-wide one. */
    public void setOwnBehaviour(@Nullable WebhookBehaviour behaviour) {
        this.ownBehaviour = behaviour;
    }

    public @Nullable WebhookBehaviour ownBehaviour() {
        return ownBehaviour;
    }

    public WebhookBehaviour behaviour() {
        WebhookBehaviour own = ownBehaviour;
        return own != null ? own : globalBehaviour.get();
    }

    /** Queues a phone's message; false if the queue is full (counted as overflow). */
    public boolean inbound(InboundMessage message) {
        return enqueue(payloads.inbound(target, message));
    }

    /** Queues a status; {@code delivered} may be held back for {@code read} when reordering is on. */
    public boolean status(Receipt receipt) {
        ObjectNode entry = payloads.status(target, receipt);
        boolean reorder = behaviour().reorderStatuses();
        boolean queued;
        synchronized (held) {
            if (closed) {
                return false;
            }
            if (reorder && receipt.status() == ReceiptStatus.DELIVERED && held.size() < properties.queueCapacity()) {
                String id = receipt.waMessageId();
                Disposable release = Mono.delay(properties.reorderHoldMax()).subscribe(tick -> release(id));
                Held previous = held.put(id, new Held(entry, release));
                if (previous != null) {
                    previous.release().dispose();
                    offer(previous.entry());
                }
                return true;
            }
            queued = offer(entry);
            if (receipt.status() == ReceiptStatus.READ || receipt.status() == ReceiptStatus.FAILED) {
                Held waiting = held.remove(receipt.waMessageId());
                if (waiting != null) {
                    waiting.release().dispose();
                    queued &= offer(waiting.entry());
                }
            }
        }
        drain();
        return queued;
    }

    /** Queues an {@code account_update}. */
    public boolean accountNotice(AccountNotice notice) {
        return enqueue(payloads.accountUpdate(target, notice));
    }

    public WebhookStats stats() {
        int heldNow;
        synchronized (held) {
            heldNow = held.size();
        }
        return new WebhookStats(queue.size(), heldNow, accepted.sum(), delivered.sum(), posts.sum(),
                failedAttempts.sum(), duplicated.sum(), abandoned.sum(), overflow.sum(), discarded.sum(), lastError);
    }

    /** Stops posting and drops what is queued or held (the number was deleted). */
    public void close() {
        closed = true;
        synchronized (held) {
            held.values().forEach(waiting -> waiting.release().dispose());
            held.clear();
        }
        Disposable current = inFlight;
        if (current != null) {
            current.dispose();
        }
        queue.clear();
    }

    private boolean enqueue(ObjectNode entry) {
        boolean queued;
        synchronized (held) {
            if (closed) {
                return false;
            }
            queued = offer(entry);
        }
        drain();
        return queued;
    }

    /** Called with the {@code held} lock, so that a read and its held delivered are queued next to each other. */
    private boolean offer(ObjectNode entry) {
        if (!queue.offer(entry)) {
            overflow.increment();
            return false;
        }
        accepted.increment();
        return true;
    }

    private void release(String waMessageId) {
        synchronized (held) {
            Held waiting = held.remove(waMessageId);
            if (waiting == null || closed) {
                return;
            }
            offer(waiting.entry());
        }
        drain();
    }

    private void drain() {
        if (!closed && draining.compareAndSet(false, true)) {
            postNext();
        }
    }

    /** Takes the next batch and posts it; the POST's completion calls this again. One POST in flight at a time. */
    private void postNext() {
        while (true) {
            if (closed) {
                draining.set(false);
                return;
            }
            List<ObjectNode> batch = new ArrayList<>(Math.min(properties.maxBatch(), 64));
            queue.drainTo(batch, properties.maxBatch());
            if (batch.isEmpty()) {
                draining.set(false);
                if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            WebhookTarget current = target;
            if (current.url() == null) {
                discarded.add(batch.size());
                continue;
            }
            byte[] body = payloads.envelope(batch);
            inFlight = deliver(body, batch.size()).subscribe(null, e -> {
                log.error("Webhook dispatcher of {} hit an unexpected error", current.phoneNumberId(), e);
                Schedulers.parallel().schedule(this::postNext);
            }, () -> Schedulers.parallel().schedule(this::postNext));
            return;
        }
    }

    /**
     * Posts one body until a 2xx, then maybe once more (duplicates). Each attempt goes to the number's current URL,
     * signed with its current secret, so a re-registration takes effect even for a POST being retried.
     */
    private Mono<Void> deliver(byte[] body, int events) {
        Mono<Void> withRetries = Mono.defer(() -> attempt(body))
                .doOnError(e -> {
                    failedAttempts.increment();
                    lastError = WebhookClient.describe(e);
                })
                .retryWhen(backoff())
                .doOnSuccess(ignored -> posts.increment());
        return withRetries
                .doOnSuccess(ignored -> delivered.add(events))
                .then(Mono.defer(() -> duplicate() ? withRetries.doOnSuccess(ignored -> duplicated.add(events))
                        .onErrorResume(e -> Mono.empty()) : Mono.<Void>empty()))
                .onErrorResume(e -> {
                    abandoned.add(events);
                    log.warn("Webhook POST of {} event(s) to {} abandoned after {} attempts: {}", events,
                            target.url(), properties.maxAttempts(), lastError);
                    return Mono.empty();
                });
    }

    private Mono<Void> attempt(byte[] body) {
        WebhookTarget current = target;
        if (current.url() == null) {
            return Mono.error(new IllegalStateException("no webhook URL"));
        }
        return client.post(current.url(), body, WebhookSignature.sign(current.appSecret(), body));
    }

    private Retry backoff() {
        Duration initial = properties.initialBackoff();
        return Retry.backoff(properties.maxAttempts() - 1L, initial)
                .maxBackoff(properties.maxBackoff())
                .jitter(0)
                .filter(e -> !closed);
    }

    private boolean duplicate() {
        double rate = behaviour().duplicateRate();
        return rate > 0 && ThreadLocalRandom.current().nextDouble() < rate;
    }
}
