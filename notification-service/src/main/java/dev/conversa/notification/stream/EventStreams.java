package dev.conversa.notification.stream;

import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.conversa.security.ConversaPrincipal;
import reactor.core.publisher.Flux;

/**
 * A client's stream: with a {@code Last-Event-ID}, the entries of its tenant's log after that id that it may see,
 * then the live ones, with no gap and no repeat; without one, the live ones.
 *
 * <p>Order of work: the client is registered with the hub first (from then on live entries queue up for it), then
 * the log is read after the client's id; then the queued and coming live entries are passed on, minus those at or
 * before the last entry the replay read. An entry added before the registration is in the replay (the read comes
 * after it); one added after it is queued live; one in both is sent once, by the replay, since live entries come in
 * id order and only those after the replay's end are passed.
 */
@Component
public class EventStreams {

    /** Sent instead of a replay when entries after the client's id were trimmed from the log: reload state. */
    static final String RESET = "stream.reset";

    private final EventHub hub;
    private final EventLog eventLog;

    EventStreams(EventHub hub, EventLog eventLog) {
        this.hub = hub;
        this.eventLog = eventLog;
    }

    /**
     * The events for {@code caller}; {@code lastEventId} is the last id the client received, if any. A
     * {@link #RESET} event (without id, with data {@code {"reason":"replay-truncated"}}) comes first when the log no
     * longer holds everything after it.
     */
    public Flux<SseFrame> events(ConversaPrincipal caller, @Nullable StreamId lastEventId) {
        return events(caller, lastEventId, null);
    }

    /**
     * The same, with live events queued on {@code writer}, the thread that writes to the client's connection (its
     * event loop; {@code null}: one of the hub's lanes), see {@link EventHub#connect(ConversaPrincipal, Executor)}.
     */
    public Flux<SseFrame> events(ConversaPrincipal caller, @Nullable StreamId lastEventId,
            @Nullable Executor writer) {
        if (lastEventId == null) {
            return hub.connect(caller, writer).flatMapMany(EventHub.Client::frames);
        }
        String tenant = caller.tenantId();
        return hub.connect(caller, writer).flatMapMany(client -> {
            AtomicReference<StreamId> replayedUpTo = new AtomicReference<>(lastEventId);
            Flux<SseFrame> reset = eventLog.truncatedAfter(tenant, lastEventId)
                    .filter(truncated -> truncated)
                    .map(truncated -> SseFrame.withoutId(new ClientEvent(lastEventId, RESET, tenant,
                            Scope.CONVERSATION, List.of(), "{\"reason\":\"replay-truncated\"}")))
                    .flux();
            Flux<SseFrame> replay = eventLog.after(tenant, lastEventId, null)
                    .doOnNext(event -> replayedUpTo.set(event.id()))
                    .filter(event -> event.visibleTo(caller))
                    .map(SseFrame::of);
            Flux<SseFrame> live = client.frames()
                    .filter(frame -> frame.event().id().isAfter(replayedUpTo.get()));
            return Flux.concat(reset, replay, live).doFinally(signal -> client.close());
        });
    }
}
