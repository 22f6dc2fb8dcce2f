package dev.conversa.session.reconnect;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

import dev.conversa.session.reconnect.ReconnectDecision.ReconnectAfter;
import dev.conversa.session.reconnect.ReconnectDecision.ReconnectNow;
import dev.conversa.session.reconnect.ReconnectDecision.Stop;
import dev.conversa.session.reconnect.ReconnectDecision.TerminalStatus;
import dev.conversa.session.reconnect.ReconnectDecision.WaitForNewQr;

/**
 * What a linked-device session does when its connection ends, by reason (reference: whatsapp-cloud-api.md §8):
 *
 * <table>
 * <caption>Decisions</caption>
 * <tr><th>reason</th><th>decision</th></tr>
 * <tr><td>515 restart required</td><td>reconnect now with the saved credentials</td></tr>
 * <tr><td>408 lost, 428 closed, 503 unavailable, a first 500, unknown codes</td>
 * <td>back-off with full jitter; after {@code maxAttempts} → {@code failed}</td></tr>
 * <tr><td>500 again</td><td>{@code failed}, wipe the auth state, new QR</td></tr>
 * <tr><td>401 logged out</td><td>{@code logged_out}, wipe the auth state, new QR</td></tr>
 * <tr><td>403 banned</td><td>{@code banned}; keep the auth state, no QR</td></tr>
 * <tr><td>411 multi-device mismatch</td><td>{@code failed}, wipe the auth state, new QR</td></tr>
 * <tr><td>440 replaced</td><td>{@code failed}, keep the auth state, new QR (no auto-loop)</td></tr>
 * <tr><td>408 "QR refs attempts ended"</td><td>wait until a new QR is asked for</td></tr>
 * </table>
 *
 * <p>440 keeps the auth state: the other writer may be a legitimate one (an operator, or the instance that now owns
 * the session after a failover) whose connection a wipe would break; the operator decides. 403 keeps it too, so an
 * appeal that lifts the ban needs no new pairing.
 *
 * <p>{@code attemptsSoFar} counts the reconnects since the session was last open, the immediate 515 ones included,
 * so a server that keeps asking for restarts cannot make a hot loop. Thread-safe if the {@link RandomGenerator} is
 * (the default {@link java.util.Random} is).
 */
public final class ReconnectPolicy {

    private final ReconnectProperties properties;
    private final RandomGenerator random;

    public ReconnectPolicy(ReconnectProperties properties) {
        this(properties, new java.util.Random());
    }

    /** With an injected jitter source, e.g. a seeded or fixed one in tests. */
    public ReconnectPolicy(ReconnectProperties properties, RandomGenerator random) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.random = Objects.requireNonNull(random, "random");
    }

    public ReconnectProperties properties() {
        return properties;
    }

    /**
     * The decision for a connection that ended with {@code reason}, after {@code attemptsSoFar} reconnects since it
     * was last open. {@code repeatedBadSession}: the previous disconnect of this session was a 500 as well.
     */
    public ReconnectDecision decide(DisconnectReason reason, int attemptsSoFar, boolean repeatedBadSession) {
        Objects.requireNonNull(reason, "reason");
        if (attemptsSoFar < 0) {
            throw new IllegalArgumentException("attemptsSoFar must not be negative, was " + attemptsSoFar);
        }
        return switch (reason) {
            case LOGGED_OUT -> new Stop(TerminalStatus.LOGGED_OUT, true, true);
            case BANNED -> new Stop(TerminalStatus.BANNED, false, false);
            case MULTIDEVICE_MISMATCH -> new Stop(TerminalStatus.FAILED, true, true);
            case CONNECTION_REPLACED -> new Stop(TerminalStatus.FAILED, false, true);
            case QR_REFS_ENDED -> new WaitForNewQr();
            case BAD_SESSION -> repeatedBadSession
                    ? new Stop(TerminalStatus.FAILED, true, true)
                    : backOff(attemptsSoFar);
            case RESTART_REQUIRED -> exhausted(attemptsSoFar) ? failed() : new ReconnectNow();
            case CONNECTION_LOST, CONNECTION_CLOSED, UNAVAILABLE_SERVICE, UNKNOWN -> backOff(attemptsSoFar);
        };
    }

    /**
     * The longest wait before reconnect attempt {@code attemptsSoFar + 1}: {@code min(maxDelay, base × factor^attemptsSoFar)}.
     * The actual delay is uniform in {@code [0, this]}.
     */
    public Duration cappedDelay(int attemptsSoFar) {
        if (attemptsSoFar < 0) {
            throw new IllegalArgumentException("attemptsSoFar must not be negative, was " + attemptsSoFar);
        }
        long maxNanos = nanos(properties.maxDelay());
        double exponential = nanos(properties.base()) * Math.pow(properties.factor(), attemptsSoFar);
        return Duration.ofNanos(exponential >= maxNanos ? maxNanos : (long) exponential);
    }

    private ReconnectDecision backOff(int attemptsSoFar) {
        if (exhausted(attemptsSoFar)) {
            return failed();
        }
        long cap = cappedDelay(attemptsSoFar).toNanos();
        // full jitter (AWS architecture blog, "Exponential Backoff and Jitter"): spreads a fleet of reconnects
        long delay = cap == Long.MAX_VALUE ? random.nextLong(cap) : random.nextLong(cap + 1);
        return new ReconnectAfter(Duration.ofNanos(delay), attemptsSoFar + 1);
    }

    private boolean exhausted(int attemptsSoFar) {
        return attemptsSoFar >= properties.maxAttempts();
    }

    private static Stop failed() {
        return new Stop(TerminalStatus.FAILED, false, false);
    }

    private static long nanos(Duration duration) {
        try {
            return duration.toNanos();
        }
        catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
