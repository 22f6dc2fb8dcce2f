package dev.conversa.session.pacing;

import java.time.Duration;
import java.util.Objects;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import dev.conversa.events.session.SessionTransport;

/**
 * How fast one session may send ({@code conversa.session.pacing.*}), per transport, and how long the same content to
 * the same number counts as a duplicate. A rate block left out entirely takes the defaults below; a rate block given
 * must give {@code per-second} and {@code burst} (jitter left out is none). Invalid values fail the start.
 *
 * <ul>
 * <li>{@code linked}: 0.5/s (30 a minute), bursts of 3, 500 ms–2 s of jitter per send. A linked number has to look
 * like a person typing and stay far below the 600 a minute at which WhatsApp's ban model (and the simulator's)
 * flags it;</li>
 * <li>{@code cloud-api}: 80/s, bursts of 80, no jitter: Meta's default throughput of a number (beyond it 130429);</li>
 * <li>{@code duplicate-window}: 5 min; {@code 0} turns the duplicate guard off.</li>
 * </ul>
 *
 * @param linked          the pace of linked-device sessions
 * @param cloudApi        the pace of Cloud API sessions
 * @param duplicateWindow how long {@link DuplicateContentGuard} remembers a content sent to a number
 */
@ConfigurationProperties("conversa.session.pacing")
public record PacingProperties(
        @Nullable Rate linked,
        @Nullable Rate cloudApi,
        @DefaultValue("5m") Duration duplicateWindow) {

    /** The linked-device default: 0.5/s, burst 3, jitter 500 ms–2 s. */
    public static final Rate LINKED_DEFAULT = new Rate(0.5, 3, Duration.ofMillis(500), Duration.ofSeconds(2));

    /** The Cloud API default: Meta's 80 messages a second per number, burst 80, no jitter. */
    public static final Rate CLOUD_API_DEFAULT = new Rate(80, 80, Duration.ZERO, Duration.ZERO);

    public PacingProperties {
        if (linked == null) {
            linked = LINKED_DEFAULT;
        }
        if (cloudApi == null) {
            cloudApi = CLOUD_API_DEFAULT;
        }
        if (duplicateWindow == null) {
            duplicateWindow = Duration.ofMinutes(5);
        }
        if (duplicateWindow.isNegative()) {
            throw new IllegalArgumentException(
                    "conversa.session.pacing.duplicate-window must not be negative, was " + duplicateWindow);
        }
    }

    /** Every default. */
    public static PacingProperties defaults() {
        return new PacingProperties(LINKED_DEFAULT, CLOUD_API_DEFAULT, Duration.ofMinutes(5));
    }

    /** The rate of a transport. */
    public Rate rate(SessionTransport transport) {
        Objects.requireNonNull(transport, "transport");
        return switch (transport) {
            case LINKED -> Objects.requireNonNull(linked);
            case CLOUD_API -> Objects.requireNonNull(cloudApi);
        };
    }

    /**
     * A session's pace: a sustained {@code perSecond}, of which up to {@code burst} sends may go at once after a quiet
     * spell (GCRA), and a uniformly random extra delay in {@code [jitterMin, jitterMax]} on every send.
     *
     * @param perSecond the sustained rate, sends a second (e.g. 0.5 = one every 2 s)
     * @param burst     how many sends may go back to back, at least 1
     * @param jitterMin the least random delay added to a send
     * @param jitterMax the most random delay added to a send
     */
    public record Rate(double perSecond, int burst, @Nullable Duration jitterMin, @Nullable Duration jitterMax) {

        static final double MAX_PER_SECOND = 1_000_000;

        public Rate {
            if (!(perSecond > 0) || perSecond > MAX_PER_SECOND) {
                throw new IllegalArgumentException(
                        "conversa.session.pacing.*.per-second must be in (0, 1000000], was " + perSecond);
            }
            if (burst < 1 || burst > 1_000_000) {
                throw new IllegalArgumentException(
                        "conversa.session.pacing.*.burst must be in 1..1000000, was " + burst);
            }
            if (jitterMin == null) {
                jitterMin = Duration.ZERO;
            }
            if (jitterMax == null) {
                jitterMax = jitterMin;
            }
            if (jitterMin.isNegative() || jitterMax.compareTo(jitterMin) < 0
                    || jitterMax.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new IllegalArgumentException("conversa.session.pacing.*.jitter-min/-max must satisfy "
                        + "0 <= jitter-min <= jitter-max <= 10m, were " + jitterMin + " and " + jitterMax);
            }
        }

        /** The time one send takes of the sustained rate: {@code 1 / perSecond}, at least 1 µs. */
        public Duration interval() {
            return Duration.ofNanos(intervalMicros() * 1_000);
        }

        long intervalMicros() {
            return Math.max(1, Math.round(1_000_000 / perSecond));
        }

        /** How far ahead of the sustained pace a burst may run: {@code (burst - 1) × interval}. */
        long toleranceMicros() {
            return (burst - 1) * intervalMicros();
        }
    }
}
