package dev.conversa.notification.stream;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import dev.conversa.security.ConversaPrincipal;
import reactor.core.Exceptions;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Fans the replay log's entries out to the SSE clients connected to this instance, per tenant and in entry id
 * order, each entry once.
 *
 * <p>A tenant with connected clients has a {@link Channel} holding the id of the last entry it handed out (its
 * cursor). When this instance's relay has appended (or found) an entry, {@link #relayed} moves the channel to it:
 * if the entry comes right after the cursor (the usual case: this instance added it and nobody added anything in
 * between) it is handed out at once; if it is at or before the cursor it was handed out already; otherwise the
 * entries between are read from the log first (another instance added them, or this instance's other bindings
 * have not reached theirs yet). So a client sees exactly the log's order with no gap and no repeat, whichever
 * instance added what, which is what makes {@code Last-Event-ID} an exact position.
 *
 * <p>Handing out is done per lane, a single thread that serves a share of the clients: under the channel's lock an
 * entry is encoded once ({@link SseFrame}) and queued as one task to every lane that serves a client of the tenant,
 * and each lane offers it to its clients in the order it received the entries. A client's lane is the event loop of
 * its connection when the caller knows it ({@link #connect(ConversaPrincipal, Executor)}): the client's writes then
 * happen on the thread that owns its socket, as direct writes, instead of each write of each client being handed to
 * that event loop as a task of its own (and a wake-up) — one task per event loop and entry instead of one per client
 * and entry. Clients without a known event loop share {@link StreamProperties#fanoutLanes()} threads of their own.
 * The relay is not held up by the clients, all event loops write to them, and every client still gets the log's
 * order.
 *
 * <p>Each client has a bounded queue: a client more than {@link StreamProperties#clientBuffer()} events behind is
 * disconnected at once (its queue is dropped; it reconnects with {@code Last-Event-ID} and catches up from the log)
 * instead of growing this instance's memory.
 */
@Component
public class EventHub implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(EventHub.class);

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();
    private final AtomicInteger clients = new AtomicInteger();
    private final AtomicInteger nextLane = new AtomicInteger();
    private final EventLog eventLog;
    private final StreamProperties properties;
    private final Scheduler fanout;
    private final List<Executor> lanes;

    EventHub(EventLog eventLog, StreamProperties properties) {
        this.eventLog = eventLog;
        this.properties = properties;
        int count = properties.fanoutLanes() > 0 ? properties.fanoutLanes()
                : Runtime.getRuntime().availableProcessors();
        this.fanout = Schedulers.newParallel("sse-fanout", count, true);
        // a parallel scheduler hands its workers out round robin over its threads: one worker per thread
        this.lanes = IntStream.range(0, count).mapToObj(lane -> fanout.createWorker())
                .map(worker -> (Executor) worker::schedule)
                .toList();
    }

    @Override
    public void destroy() {
        fanout.dispose();
    }

    /** {@link #connect(ConversaPrincipal, Executor)} on one of the hub's own lanes. */
    public Mono<Client> connect(ConversaPrincipal caller) {
        return connect(caller, null);
    }

    /**
     * Registers a client: from the moment the returned Mono completes, every entry after the tenant's channel
     * cursor that the caller may see is queued for it. Cancel the client's {@link Client#events()} (or call
     * {@link Client#close()}) to unregister.
     *
     * @param writer the single thread that writes to the client's connection (its Netty event loop), on which its
     *               events are then queued; {@code null}: one of the hub's own lanes
     */
    public Mono<Client> connect(ConversaPrincipal caller, @Nullable Executor writer) {
        String tenant = caller.tenantId();
        Executor lane = writer != null ? writer : lanes.get(Math.floorMod(nextLane.getAndIncrement(), lanes.size()));
        Client client = new Client(caller, properties.clientBuffer(), lane);
        return Mono.defer(() -> {
            Channel existing = channels.get(tenant);
            if (existing != null && existing.add(client)) {
                return Mono.just(client);
            }
            // a new channel starts at the log's current end; what is added meanwhile is caught up right after
            return eventLog.lastId(tenant).flatMap(start -> {
                while (true) {
                    Channel channel = channels.computeIfAbsent(tenant, key -> new Channel(key, start));
                    if (channel.add(client)) {
                        return catchUp(channel, null).thenReturn(client);
                    }
                    channels.remove(tenant, channel);
                }
            });
        });
    }

    /** Live events for {@code caller} from now on (no replay): {@link #connect} and the client's events. */
    public Flux<ClientEvent> subscribe(ConversaPrincipal caller) {
        return connect(caller).flatMapMany(Client::events);
    }

    /**
     * The relay appended (or found) an entry of {@code tenant}'s log: hands it, and any entry before it this
     * instance has not handed out yet, to the tenant's clients. Completes when they have been queued.
     */
    public Mono<Void> relayed(String tenant, EventLog.Appended appended) {
        Channel channel = channels.get(tenant);
        if (channel == null) {
            return Mono.empty();
        }
        StreamId from;
        synchronized (channel) {
            if (channel.closed || !appended.id().isAfter(channel.cursor)) {
                return Mono.empty();
            }
            if (appended.event() != null && channel.cursor.equals(appended.previous())) {
                channel.deliver(appended.event());
                return Mono.empty();
            }
            from = channel.cursor;
        }
        return eventLog.after(tenant, from, appended.id()).collectList()
                .doOnNext(channel::deliverAll)
                .then();
    }

    private Mono<Void> catchUp(Channel channel, @Nullable StreamId upTo) {
        StreamId from;
        synchronized (channel) {
            from = channel.cursor;
        }
        return eventLog.after(channel.tenant, from, upTo).collectList().doOnNext(channel::deliverAll).then();
    }

    /** Completes once every lane has run what was queued to it before: what was relayed is in the clients' queues. */
    Mono<Void> handedOut() {
        Set<Executor> all = new LinkedHashSet<>(lanes);
        channels.values().forEach(channel -> all.addAll(channel.lanes()));
        return Flux.fromIterable(all)
                .flatMap(lane -> Mono.<Void>create(done -> lane.execute(done::success)))
                .then();
    }

    /** How many SSE clients are connected to this instance. */
    public int subscriberCount() {
        return clients.get();
    }

    /**
     * The clients of one tenant on this instance, by lane, and the last entry handed to them. The map is changed
     * and read under the channel's lock; a lane's set is also read by the tasks queued to that lane.
     */
    private final class Channel {

        private final String tenant;
        private final Map<Executor, Set<Client>> byLane = new LinkedHashMap<>();
        private int members;
        private StreamId cursor;
        private boolean closed;

        Channel(String tenant, StreamId cursor) {
            this.tenant = tenant;
            this.cursor = cursor;
        }

        synchronized boolean add(Client client) {
            if (closed) {
                return false;
            }
            byLane.computeIfAbsent(client.lane, lane -> ConcurrentHashMap.newKeySet()).add(client);
            members++;
            client.channel = this;
            clients.incrementAndGet();
            return true;
        }

        synchronized void remove(Client client) {
            Set<Client> clientsOfLane = byLane.get(client.lane);
            if (clientsOfLane != null && clientsOfLane.remove(client)) {
                if (clientsOfLane.isEmpty()) {
                    // a task already queued to the lane keeps the (empty) set; a later client gets a new one
                    byLane.remove(client.lane);
                }
                clients.decrementAndGet();
                if (--members == 0) {
                    closed = true;
                    channels.remove(tenant, this);
                }
            }
        }

        synchronized List<Executor> lanes() {
            return List.copyOf(byLane.keySet());
        }

        synchronized void deliverAll(List<ClientEvent> events) {
            events.forEach(this::deliver);
        }

        /**
         * Under the channel's lock: entries at or before the cursor were handed out already; the others are encoded
         * once and queued to each lane that serves a client of the tenant.
         */
        private void deliver(ClientEvent event) {
            if (closed || !event.id().isAfter(cursor)) {
                return;
            }
            cursor = event.id();
            SseFrame frame = SseFrame.of(event);
            byLane.forEach((lane, clientsOfLane) -> {
                try {
                    lane.execute(() -> clientsOfLane.forEach(client -> client.offer(frame)));
                }
                catch (RejectedExecutionException shuttingDown) {
                    // the lane (or the event loop and with it the connections) is stopping
                    log.debug("SSE lane stopped: event {} not handed to its clients", event.id());
                }
            });
        }
    }

    /** One connected SSE client: its identity, its lane and its bounded queue. */
    public final class Client {

        private final ConversaPrincipal caller;
        private final Executor lane;
        private final ArrayBlockingQueue<SseFrame> queue;
        private final Sinks.Many<SseFrame> sink;
        private final AtomicBoolean open = new AtomicBoolean(true);
        private volatile @Nullable Channel channel;

        Client(ConversaPrincipal caller, int buffer, Executor lane) {
            this.caller = caller;
            this.lane = lane;
            this.queue = new ArrayBlockingQueue<>(buffer);
            this.sink = Sinks.many().unicast().onBackpressureBuffer(queue);
        }

        /** The queued and coming events as SSE frames; one subscriber; cancelling it disconnects the client. */
        public Flux<SseFrame> frames() {
            return sink.asFlux().doFinally(signal -> close());
        }

        /** The queued and coming events; one subscriber; cancelling it disconnects the client. */
        public Flux<ClientEvent> events() {
            return frames().map(SseFrame::event);
        }

        /** Unregisters the client; idempotent. */
        public void close() {
            if (open.compareAndSet(true, false)) {
                Channel current = channel;
                if (current != null) {
                    current.remove(this);
                }
            }
        }

        /** On the client's lane. */
        private void offer(SseFrame frame) {
            ClientEvent event = frame.event();
            if (!open.get() || !event.visibleTo(caller)) {
                return;
            }
            Sinks.EmitResult result = sink.tryEmitNext(frame);
            if (result == Sinks.EmitResult.FAIL_OVERFLOW) {
                log.info("Disconnecting an SSE client of tenant {}: more than {} events behind", caller.tenantId(),
                        queue.remainingCapacity() + queue.size());
                Channel current = channel;
                if (current != null && open.compareAndSet(true, false)) {
                    current.remove(this);
                }
                queue.clear();
                sink.tryEmitError(Exceptions.failWithOverflow("SSE client too slow: reconnect with Last-Event-ID"));
            }
            else if (result.isFailure() && result != Sinks.EmitResult.FAIL_CANCELLED
                    && result != Sinks.EmitResult.FAIL_TERMINATED) {
                log.warn("Event {} not queued for an SSE client: {}", event.id(), result);
            }
        }
    }
}
