package dev.conversa.session.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.EventTypes;
import dev.conversa.events.cloudevents.EventEnvelope;
import dev.conversa.events.command.PairingCodeRequested;
import dev.conversa.events.command.ReadRequested;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.command.SessionCommand;
import dev.conversa.session.outbound.SendRequests;
import dev.conversa.session.transport.ConnectionNotOpenException;
import dev.conversa.web.logging.Pii;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Acts on one record of {@code wa.commands}. This instance consumes the record's partition, so it owns the session
 * the command is for. Sends go to the outbound queue; restart, logout and pairing code act on the live session. A
 * command that cannot be carried out (the session is gone, WhatsApp refused a pairing code) is logged, not retried:
 * the caller sees the outcome in the session's events.
 *
 * <p>Read receipts go out at once over the live connection, not through the outbound queue. They are not worth a
 * reconnect or a retry: a session that is not connected here drops them, a failure is logged, and the metric
 * {@code conversa.session.read.receipts} counts the message ids by {@code transport} and {@code outcome}
 * ({@code sent}, {@code dropped}, {@code failed}).
 */
@Component
class SessionCommandHandler {

    private static final Logger log = LoggerFactory.getLogger(SessionCommandHandler.class);
    /**
     * The longest read receipts may hold up the commands behind them on their partition; well inside the consumer's
     * handler timeout (30 s by default), so a slow Graph API never makes the consumer retry the command.
     */
    static final Duration READ_RECEIPTS_TIMEOUT = Duration.ofSeconds(10);

    private final SendRequests sends;
    private final SessionRuntime runtime;
    private final MeterRegistry meters;

    SessionCommandHandler(SendRequests sends, SessionRuntime runtime, MeterRegistry meters) {
        this.sends = sends;
        this.runtime = runtime;
        this.meters = meters;
    }

    /**
     * Acts on a list of records in their order: each run of consecutive sends is queued as one list (one statement),
     * every other command on its own between them. The list shares the consumer's handler timeout; a list that
     * overruns it (a run of read receipts to a Graph API at its 10 s limit each) is handled again one record at a
     * time, which repeats nothing: sends are written once per key, read receipts are idempotent.
     */
    Mono<Void> handleAll(List<EventEnvelope<Object>> commands) {
        return Flux.fromIterable(runs(commands))
                .concatMap(run -> run.getFirst().payload() instanceof SendMessageRequested
                        ? sends.handle(run.stream().map(send -> (SendMessageRequested) send.payload()).toList())
                        : handle(run.getFirst()))
                .then();
    }

    /** The list cut into runs of consecutive sends and single other commands, in order. */
    static List<List<EventEnvelope<Object>>> runs(List<EventEnvelope<Object>> commands) {
        List<List<EventEnvelope<Object>>> runs = new ArrayList<>();
        List<EventEnvelope<Object>> sendRun = new ArrayList<>();
        for (EventEnvelope<Object> command : commands) {
            if (command.payload() instanceof SendMessageRequested) {
                sendRun.add(command);
                continue;
            }
            if (!sendRun.isEmpty()) {
                runs.add(sendRun);
                sendRun = new ArrayList<>();
            }
            runs.add(List.of(command));
        }
        if (!sendRun.isEmpty()) {
            runs.add(sendRun);
        }
        return runs;
    }

    Mono<Void> handle(EventEnvelope<Object> command) {
        return switch (command.payload()) {
            case SendMessageRequested send -> sends.handle(List.of(send));
            case PairingCodeRequested pairing -> runtime.requestPairingCode(pairing.sessionId(), pairing.phoneNumber())
                    .onErrorResume(error -> {
                        log.warn("Pairing code for {} on session {} not obtained: {}",
                                Pii.phone(pairing.phoneNumber()), pairing.sessionId(), error.toString());
                        return Mono.empty();
                    });
            case ReadRequested read -> markRead(read);
            case SessionCommand session when EventTypes.SESSION_RESTART_REQUESTED.equals(command.type()) ->
                    runtime.restart(session.sessionId()).onErrorResume(error -> failed(command, error));
            case SessionCommand session when EventTypes.SESSION_LOGOUT_REQUESTED.equals(command.type()) ->
                    runtime.logout(session.sessionId()).onErrorResume(error -> failed(command, error));
            default -> {
                log.warn("Ignoring {} {} on wa.commands: not a command of session-service", command.type(),
                        command.id());
                yield Mono.empty();
            }
        };
    }

    private Mono<Void> markRead(ReadRequested read) {
        int count = read.waMessageIds().size();
        LiveSession session = runtime.liveSession(read.sessionId());
        if (session == null || !session.tenantId().equals(read.tenantId())) {
            log.info("Read receipts for {} message(s) from {} dropped: session {} is not live on this instance",
                    count, Pii.phone(read.contactPhone()), read.sessionId());
            countReadReceipts("none", "dropped", count);
            return Mono.empty();
        }
        String transport = session.transport().value();
        return session.connection().markRead(read.waMessageIds())
                .timeout(READ_RECEIPTS_TIMEOUT)
                .then(Mono.fromRunnable(() -> {
                    log.debug("{} message(s) from {} marked read on session {}", count,
                            Pii.phone(read.contactPhone()), read.sessionId());
                    countReadReceipts(transport, "sent", count);
                }))
                .onErrorResume(error -> {
                    if (error instanceof ConnectionNotOpenException) {
                        log.info("Read receipts for {} message(s) from {} dropped: session {} is not connected",
                                count, Pii.phone(read.contactPhone()), read.sessionId());
                        countReadReceipts(transport, "dropped", count);
                    }
                    else {
                        log.warn("Read receipts for {} message(s) from {} on session {} failed: {}", count,
                                Pii.phone(read.contactPhone()), read.sessionId(), error.toString());
                        countReadReceipts(transport, "failed", count);
                    }
                    return Mono.empty();
                })
                .then();
    }

    private void countReadReceipts(String transport, String outcome, int count) {
        Counter.builder("conversa.session.read.receipts")
                .description("message ids of read-requested commands, by what became of them")
                .tag("transport", transport)
                .tag("outcome", outcome)
                .register(meters)
                .increment(count);
    }

    private static Mono<Void> failed(EventEnvelope<Object> command, Throwable error) {
        log.warn("{} {} for session {} failed: {}", command.type(), command.id(), command.metadata().subject(),
                error.toString());
        return Mono.empty();
    }
}
