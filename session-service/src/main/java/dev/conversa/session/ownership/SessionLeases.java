package dev.conversa.session.ownership;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * One Redis lease per live session, {@code session:lease:{sessionId}} = the owner's instance id with a TTL. Kafka
 * decides who should own a session ({@link CommandPartitionOwnership}); the lease makes sure that only one
 * instance acts as its owner at a time, also during a hand-over: a new owner {@linkplain #awaitAcquire waits} until
 * the previous owner released the lease or, if it died, until the lease expired; an owner checks
 * {@linkplain #holds it still holds the lease} before every send, so an instance that lost a session (stalled,
 * partitioned from Kafka) stops sending before anyone else starts.
 *
 * <p>The leases of {@linkplain #keep kept} sessions are renewed every {@code renew-interval} by a background round
 * (one Lua call per batch of up to {@value #RENEW_BATCH} keys, on a single thread, started and stopped with the
 * application). A kept lease that is no longer ours (expired, or taken by another instance) is dropped from the
 * kept set and reported on {@link #lost()}; the runtime then closes that session. A failed round is logged; the
 * next one runs as planned.
 *
 * <p>Leases are released by whoever closes a session ({@link #release}); {@link #stop()} only stops renewing, so
 * leases left over expire after the TTL instead of being handed to a new owner while a socket may still be open.
 */
public class SessionLeases implements SmartLifecycle, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(SessionLeases.class);

    static final String KEY_PREFIX = "session:lease:";
    static final int RENEW_BATCH = 500;
    /** Starts before and stops after the Stream bindings ({@code Integer.MAX_VALUE - 3000}): renewal outlives them. */
    static final int PHASE = Integer.MAX_VALUE - 4000;

    private static final Duration REDIS_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration FIRST_RETRY = Duration.ofMillis(50);
    private static final Duration MAX_RETRY = Duration.ofSeconds(1);
    private static final int LOST_BUFFER = 1024;

    /** KEYS[1] lease, ARGV[1] instance id, ARGV[2] ttl ms: 1 when the lease is ours afterwards. */
    private static final RedisScript<Long> ACQUIRE = RedisScript.of("""
            if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then
              return 1
            end
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            return 0
            """, Long.class);

    /** KEYS[1] lease, ARGV[1] instance id: deletes the lease only if it is ours. */
    private static final RedisScript<Long> RELEASE = RedisScript.of("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              return redis.call('DEL', KEYS[1])
            end
            return 0
            """, Long.class);

    /**
     * KEYS = leases, ARGV[1] instance id, ARGV[2] ttl ms: extends each lease that is ours; answers the 1-based
     * indexes of the others (lost), comma-separated ({@code "-"} when none).
     */
    private static final RedisScript<String> RENEW = RedisScript.of("""
            local lost = {}
            for i, key in ipairs(KEYS) do
              if redis.call('GET', key) == ARGV[1] then
                redis.call('PEXPIRE', key, ARGV[2])
              else
                lost[#lost + 1] = i
              end
            end
            if #lost == 0 then
              return '-'
            end
            return table.concat(lost, ',')
            """, String.class);

    private final ReactiveStringRedisTemplate redis;
    private final String instanceId;
    private final Duration ttl;
    private final String ttlMillis;
    private final Duration renewInterval;
    private final Set<UUID> kept = ConcurrentHashMap.newKeySet();
    private final Sinks.Many<UUID> lost = Sinks.many().multicast().onBackpressureBuffer(LOST_BUFFER, false);
    private final Scheduler renewalScheduler = Schedulers.newSingle("session-lease-renewal", true);
    private Disposable renewal;

    public SessionLeases(ReactiveStringRedisTemplate redis, OwnershipProperties properties) {
        this.redis = Objects.requireNonNull(redis, "redis");
        this.instanceId = properties.instanceId();
        this.ttl = properties.leaseTtl();
        this.ttlMillis = Long.toString(ttl.toMillis());
        this.renewInterval = properties.renewInterval();
    }

    /** The value this instance writes into its leases. */
    public String instanceId() {
        return instanceId;
    }

    public Duration ttl() {
        return ttl;
    }

    /**
     * Takes the session's lease if nobody holds it ({@code SET NX PX}), or extends it if we already do. Emits
     * whether the lease is ours afterwards; a Redis failure is an error (the caller decides, {@link #awaitAcquire}
     * retries).
     */
    public Mono<Boolean> acquire(UUID sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return redis.execute(ACQUIRE, List.of(key(sessionId)), List.of(instanceId, ttlMillis))
                .next()
                .map(result -> result == 1L)
                .defaultIfEmpty(false)
                .timeout(REDIS_TIMEOUT);
    }

    /**
     * {@link #acquire}s the lease, retrying with a short back-off (50 ms, doubling, at most 1 s) until it is ours or
     * {@code maxWait} has passed: a new owner waits this way for the lease of a dead owner to expire. Emits
     * {@code false} when the lease is still someone else's at the end; Redis failures count as "not yet".
     */
    public Mono<Boolean> awaitAcquire(UUID sessionId, Duration maxWait) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(maxWait, "maxWait");
        return Mono.defer(() -> attempt(sessionId, System.nanoTime() + maxWait.toNanos(), FIRST_RETRY));
    }

    private Mono<Boolean> attempt(UUID sessionId, long deadline, Duration backOff) {
        return acquire(sessionId)
                .onErrorResume(error -> {
                    log.warn("Acquiring the lease of session {} failed: {}", sessionId, error.toString());
                    return Mono.just(false);
                })
                .flatMap(ours -> {
                    if (ours) {
                        return Mono.just(true);
                    }
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return Mono.just(false);
                    }
                    Duration delay = backOff.toNanos() < left ? backOff : Duration.ofNanos(left);
                    Duration next = backOff.multipliedBy(2).compareTo(MAX_RETRY) < 0 ? backOff.multipliedBy(2) : MAX_RETRY;
                    return Mono.delay(delay).then(Mono.defer(() -> attempt(sessionId, deadline, next)));
                });
    }

    /**
     * The fence before a send: whether the session's lease exists and is ours. Fails closed: a Redis failure or
     * timeout answers {@code false} (logged), so no instance sends while ownership cannot be checked.
     */
    public Mono<Boolean> holds(UUID sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return redis.opsForValue().get(key(sessionId))
                .map(instanceId::equals)
                .defaultIfEmpty(false)
                .timeout(REDIS_TIMEOUT)
                .onErrorResume(error -> {
                    log.warn("Checking the lease of session {} failed, treating it as not held: {}", sessionId,
                            error.toString());
                    return Mono.just(false);
                });
    }

    /**
     * Stops renewing the session's lease and deletes it if it is ours (compare-and-delete), so a new owner can take
     * it at once. Best effort: a Redis failure is logged and the lease then expires after its TTL.
     */
    public Mono<Void> release(UUID sessionId) {
        Objects.requireNonNull(sessionId, "sessionId");
        return Mono.defer(() -> {
            kept.remove(sessionId);
            return redis.execute(RELEASE, List.of(key(sessionId)), List.of(instanceId))
                    .next()
                    .timeout(REDIS_TIMEOUT)
                    .doOnError(error -> log.warn("Releasing the lease of session {} failed; it expires in {}: {}",
                            sessionId, ttl, error.toString()))
                    .onErrorResume(error -> Mono.empty())
                    .then();
        });
    }

    /** Renews the session's lease from now on, every {@code renew-interval}, until {@link #forget} or lost. */
    public void keep(UUID sessionId) {
        kept.add(Objects.requireNonNull(sessionId, "sessionId"));
    }

    /** Stops renewing the session's lease (it stays in Redis until it expires or is {@linkplain #release released}). */
    public void forget(UUID sessionId) {
        kept.remove(Objects.requireNonNull(sessionId, "sessionId"));
    }

    /**
     * Sessions whose kept lease could not be renewed because it is not ours any more (expired, or another instance
     * holds it): the runtime closes them. Hot and multicast: subscribers see what is lost after they subscribe;
     * up to {@value #LOST_BUFFER} reports are buffered for slow subscribers, further ones are logged and dropped
     * (the session's sends are still fenced by {@link #holds}).
     */
    public Flux<UUID> lost() {
        return lost.asFlux();
    }

    /** The sessions currently renewed. */
    Set<UUID> kept() {
        return Set.copyOf(kept);
    }

    /** One renewal round over every kept lease. */
    Mono<Void> renewKept() {
        return Mono.defer(() -> {
            List<UUID> snapshot = List.copyOf(kept);
            if (snapshot.isEmpty()) {
                return Mono.empty();
            }
            List<List<UUID>> batches = new ArrayList<>();
            for (int from = 0; from < snapshot.size(); from += RENEW_BATCH) {
                batches.add(snapshot.subList(from, Math.min(snapshot.size(), from + RENEW_BATCH)));
            }
            return Flux.fromIterable(batches).concatMap(this::renewBatch).then();
        });
    }

    private Mono<Void> renewBatch(List<UUID> batch) {
        List<String> keys = batch.stream().map(SessionLeases::key).toList();
        return redis.execute(RENEW, keys, List.of(instanceId, ttlMillis))
                .next()
                .timeout(REDIS_TIMEOUT)
                .doOnNext(indexes -> reportLost(batch, indexes))
                .then()
                .onErrorResume(error -> {
                    log.warn("Renewing {} session leases failed; retrying in {}: {}", batch.size(), renewInterval,
                            error.toString());
                    return Mono.empty();
                });
    }

    private void reportLost(List<UUID> batch, String indexes) {
        if (indexes.isEmpty() || indexes.equals("-")) {
            return;
        }
        for (String index : indexes.split(",")) {
            UUID sessionId = batch.get(Integer.parseInt(index.strip()) - 1);
            // a session forgotten or released meanwhile is not lost, it was let go
            if (kept.remove(sessionId)) {
                log.warn("Lost the lease of session {} (expired or taken by another instance)", sessionId);
                emitLost(sessionId);
            }
        }
    }

    private synchronized void emitLost(UUID sessionId) {
        Sinks.EmitResult result = lost.tryEmitNext(sessionId);
        if (result.isFailure() && result != Sinks.EmitResult.FAIL_ZERO_SUBSCRIBER) {
            log.warn("Could not report the lost lease of session {}: {}", sessionId, result);
        }
    }

    static String key(UUID sessionId) {
        return KEY_PREFIX + sessionId;
    }

    @Override
    public synchronized void start() {
        if (renewal != null) {
            return;
        }
        renewal = Flux.interval(renewInterval, renewInterval, renewalScheduler)
                .onBackpressureDrop()
                .concatMap(tick -> renewKept()
                        .onErrorResume(error -> {
                            log.warn("A session lease renewal round failed", error);
                            return Mono.empty();
                        }), 1)
                .subscribe(null, error -> log.error("Session lease renewal stopped", error));
        log.info("Renewing session leases as {} every {} (ttl {})", instanceId, renewInterval, ttl);
    }

    @Override
    public synchronized void stop() {
        if (renewal != null) {
            renewal.dispose();
            renewal = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return renewal != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    @Override
    public void destroy() {
        stop();
        renewalScheduler.dispose();
        lost.tryEmitComplete();
    }
}
