package dev.conversa.simulator.load;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.InboundRouter;
import dev.conversa.simulator.core.WaMessageIds;
import dev.conversa.simulator.phone.PhoneNumbers;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Generates inbound traffic: every 10 ms a slice of the per-second rate, each message stamped with its send time in
 * epoch microseconds ({@code sentAtMicros}) so a receiver can measure end-to-end latency. Customers are synthetic
 * numbers {@code 1999xxxxxxxx}.
 */
@Component
public class LoadGenerator {

    private static final Logger log = LoggerFactory.getLogger(LoadGenerator.class);
    private static final Duration TICK = Duration.ofMillis(10);
    private static final int TICKS_PER_SECOND = 100;
    private static final long CUSTOMER_BASE = 199_900_000_000L;

    private final InboundRouter router;
    private final Clock clock;
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    public LoadGenerator(InboundRouter router, Clock clock) {
        this.router = router;
        this.clock = clock;
    }

    public LoadJob start(LoadRequest request) {
        List<String> numbers = request.businessNumbers().stream().map(PhoneNumbers::digits).toList();
        int customers = request.customers() == null ? 1_000 : Math.max(1, request.customers());
        String text = request.text() == null ? "load" : request.text();
        long planned = (long) request.ratePerSecond() * request.durationSeconds();
        Run run = new Run(UUID.randomUUID().toString(), request, planned, clock.instant());
        AtomicLong sequence = new AtomicLong();
        long ticks = (long) request.durationSeconds() * TICKS_PER_SECOND;
        Disposable subscription = Flux.interval(TICK)
                .take(ticks)
                .onBackpressureDrop(tick -> log.warn("Load run {} cannot keep up: a tick was skipped", run.id))
                .concatMap(tick -> Flux.range(0, slice(request.ratePerSecond(), tick))
                        .flatMap(i -> send(run, sequence.getAndIncrement(), numbers, customers, text), 256), 1)
                .doFinally(signal -> run.finish(clock.instant(), signal.toString()))
                .subscribe();
        run.subscription = subscription;
        runs.put(run.id, run);
        return run.snapshot();
    }

    public Optional<LoadJob> job(String id) {
        return Optional.ofNullable(runs.get(id)).map(Run::snapshot);
    }

    public Collection<LoadJob> jobs() {
        return runs.values().stream().map(Run::snapshot).toList();
    }

    public Optional<LoadJob> stop(String id) {
        Run run = runs.get(id);
        if (run == null) {
            return Optional.empty();
        }
        run.subscription.dispose();
        run.finish(clock.instant(), "stopped");
        return Optional.of(run.snapshot());
    }

    /** Spreads a per-second rate over 100 ticks so that every second sends exactly {@code rate}. */
    static int slice(int ratePerSecond, long tick) {
        int inSecond = (int) (tick % TICKS_PER_SECOND);
        return (int) ((long) ratePerSecond * (inSecond + 1) / TICKS_PER_SECOND
                - (long) ratePerSecond * inSecond / TICKS_PER_SECOND);
    }

    private Mono<Void> send(Run run, long sequence, List<String> numbers, int customers, String text) {
        Instant now = clock.instant();
        String from = String.valueOf(CUSTOMER_BASE + sequence % customers);
        String to = numbers.get((int) (sequence % numbers.size()));
        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, now);
        InboundMessage message = new InboundMessage(WaMessageIds.next(), from, to, "Load " + from, "text",
                text + " #" + sequence, null, null, null, null, null, now, micros);
        return router.deliver(message)
                .doOnSuccess(ignored -> run.delivered.incrementAndGet())
                .onErrorResume(error -> {
                    run.failed.incrementAndGet();
                    return Mono.empty();
                });
    }

    private static final class Run {
        final String id;
        final LoadRequest request;
        final long planned;
        final Instant startedAt;
        final AtomicLong delivered = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        final AtomicReference<Instant> finishedAt = new AtomicReference<>();
        volatile String state = "running";
        volatile Disposable subscription;

        Run(String id, LoadRequest request, long planned, Instant startedAt) {
            this.id = id;
            this.request = request;
            this.planned = planned;
            this.startedAt = startedAt;
        }

        void finish(Instant at, String signal) {
            if (finishedAt.compareAndSet(null, at)) {
                state = "stopped".equals(signal) || "cancel".equals(signal) ? "stopped" : "finished";
            }
        }

        LoadJob snapshot() {
            return new LoadJob(id, request, planned, delivered.get(), failed.get(), state, startedAt,
                    finishedAt.get());
        }
    }
}
