package dev.conversa.campaign.dispatch;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Runs the {@link Dispatcher} every {@code tick-interval} and the {@link CommandSweeper} every
 * {@code sweep-interval} on this instance, one round at a time each (a slow round delays the next, never overlaps
 * it); a failed round is logged and the next one runs. Off with {@code conversa.dispatch.enabled=false}.
 */
@Component
class DispatchTicker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(DispatchTicker.class);

    private final Dispatcher dispatcher;
    private final CommandSweeper sweeper;
    private final DispatchProperties properties;
    private volatile Disposable running;

    DispatchTicker(Dispatcher dispatcher, CommandSweeper sweeper, DispatchProperties properties) {
        this.dispatcher = dispatcher;
        this.sweeper = sweeper;
        this.properties = properties;
    }

    @Override
    public void start() {
        if (!properties.enabled()) {
            return;
        }
        running = Disposables.composite(
                repeat(properties.tickInterval(), Mono.defer(dispatcher::tick), "Dispatch"),
                repeat(properties.sweepInterval(), Mono.defer(sweeper::sweep), "Sweep"));
    }

    private static Disposable repeat(java.time.Duration interval, Mono<Integer> round, String name) {
        return Flux.interval(interval)
                .onBackpressureDrop()
                .concatMap(tick -> round.onErrorResume(error -> {
                    log.warn("{} round failed: {}", name, error.toString());
                    return Mono.just(0);
                }), 1)
                .subscribe();
    }

    @Override
    public void stop() {
        Disposable current = running;
        if (current != null) {
            current.dispose();
        }
        running = null;
    }

    @Override
    public boolean isRunning() {
        return running != null;
    }
}
