package dev.conversa.campaign.dispatch;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import dev.conversa.web.periodic.PeriodicRound;

/**
 * Runs the {@link Dispatcher} every {@code tick-interval} and the {@link CommandSweeper} every
 * {@code sweep-interval} on this instance, one round at a time each (a slow round delays the next, never overlaps
 * it); a failed round is logged and the next one runs. Off with {@code conversa.dispatch.enabled=false}.
 */
@Component
class DispatchTicker implements SmartLifecycle {

    private final DispatchProperties properties;
    private final PeriodicRound dispatch;
    private final PeriodicRound sweep;

    DispatchTicker(Dispatcher dispatcher, CommandSweeper sweeper, DispatchProperties properties) {
        this.properties = properties;
        this.dispatch = new PeriodicRound(DispatchTicker.class, "Dispatch round", properties.tickInterval(),
                dispatcher::tick);
        this.sweep = new PeriodicRound(DispatchTicker.class, "Sweep round", properties.sweepInterval(),
                sweeper::sweep);
    }

    @Override
    public void start() {
        if (properties.enabled()) {
            dispatch.start();
            sweep.start();
        }
    }

    @Override
    public void stop() {
        dispatch.stop();
        sweep.stop();
    }

    @Override
    public boolean isRunning() {
        return dispatch.isRunning();
    }
}
