package dev.conversa.simulator.linked;

import java.time.Clock;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import reactor.core.Disposable;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * The one timer of the linked-device endpoint: every {@code tick} it visits each connection for its hello timeout,
 * QR rotation, pairing-code expiry, pings and ping timeout, and cuts closing connections that did not drain in time.
 * One periodic task instead of timers per connection keeps 10,000 idle connections cheap.
 */
@Component
class LinkedTicker implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LinkedTicker.class);

    private final LinkedDeviceRegistry registry;
    private final Pairing pairing;
    private final KeepAlive keepAlive;
    private final LinkedProperties properties;
    private final Clock clock;
    private @Nullable Scheduler scheduler;
    private @Nullable Disposable task;

    LinkedTicker(LinkedDeviceRegistry registry, Pairing pairing, KeepAlive keepAlive, LinkedProperties properties,
            Clock clock) {
        this.registry = registry;
        this.pairing = pairing;
        this.keepAlive = keepAlive;
        this.properties = properties;
        this.clock = clock;
    }

    @Override
    public synchronized void start() {
        if (task == null) {
            long period = properties.tick().toMillis();
            scheduler = Schedulers.newSingle("linked-ticker", true);
            task = scheduler.schedulePeriodically(this::tick, period, period, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public synchronized void stop() {
        if (task != null) {
            task.dispose();
            task = null;
        }
        if (scheduler != null) {
            scheduler.dispose();
            scheduler = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return task != null;
    }

    void tick() {
        long now = clock.millis();
        for (DeviceConnection connection : registry.connections()) {
            try {
                tick(connection, now);
            }
            catch (RuntimeException e) {
                log.warn("Tick of {} failed", connection.id(), e);
            }
        }
    }

    private void tick(DeviceConnection connection, long now) {
        synchronized (connection) {
            switch (connection.state()) {
                case AWAITING_HELLO -> {
                    if (now >= connection.helloDeadline) {
                        registry.close(connection, Disconnect.HELLO_TIMEOUT);
                    }
                }
                case PAIRING -> {
                    keepAlive.tick(connection, now);
                    if (connection.state() == DeviceConnection.State.PAIRING) {
                        pairing.tick(connection, now);
                    }
                }
                case OPEN -> {
                    keepAlive.tick(connection, now);
                    LinkedDevice device = connection.device();
                    if (device != null && device.account().queued() > 0) {
                        device.account().drain();
                    }
                }
                case CLOSING -> {
                    if (now >= connection.closeDeadline) {
                        connection.closeDeadline = Long.MAX_VALUE;
                        connection.forceClose();
                    }
                }
                default -> {
                }
            }
        }
    }
}
