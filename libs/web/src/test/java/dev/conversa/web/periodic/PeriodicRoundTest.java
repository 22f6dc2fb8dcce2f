package dev.conversa.web.periodic;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import reactor.core.publisher.Mono;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Rounds on virtual time: every interval, one at a time, on after a failure, none after stop. */
class PeriodicRoundTest {

    private static final Duration INTERVAL = Duration.ofSeconds(10);

    private VirtualTimeScheduler time;

    @BeforeEach
    void virtualTime() {
        time = VirtualTimeScheduler.getOrSet();
    }

    @AfterEach
    void realTime() {
        VirtualTimeScheduler.reset();
    }

    @Test
    void runsARoundEveryIntervalAndGoesOnAfterAFailedOne() {
        AtomicInteger rounds = new AtomicInteger();
        PeriodicRound periodic = new PeriodicRound(PeriodicRoundTest.class, "Probe", INTERVAL,
                () -> rounds.incrementAndGet() == 2 ? Mono.error(new IllegalStateException("boom")) : Mono.just(1));
        periodic.start();

        time.advanceTimeBy(INTERVAL.minusMillis(1));
        assertThat(rounds).hasValue(0);
        // to 50 s: rounds at 10, 20 (fails), 30, 40 and 50 s
        time.advanceTimeBy(INTERVAL.multipliedBy(4).plusMillis(1));
        assertThat(rounds).hasValue(5);
        periodic.stop();
    }

    @Test
    void neverOverlapsASlowRoundWithTheNextAndDropsTheTicksMeanwhile() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        AtomicInteger started = new AtomicInteger();
        // each round takes two and a half intervals
        PeriodicRound periodic = new PeriodicRound(PeriodicRoundTest.class, "Slow", Duration.ZERO, INTERVAL,
                () -> Mono.fromRunnable(() -> {
                    started.incrementAndGet();
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                }).then(Mono.delay(INTERVAL.multipliedBy(5).dividedBy(2))).doOnTerminate(running::decrementAndGet));
        periodic.start();

        time.advanceTimeBy(INTERVAL.multipliedBy(30));
        assertThat(mostAtOnce).hasValue(1);
        // the tick that came during a round starts the next one as it ends, the others are dropped: a round every
        // two and a half intervals (0, 25, 50 … 300 s), not one per tick and no backlog
        assertThat(started.get()).isBetween(12, 13);
        periodic.stop();
    }

    @Test
    void runsNoRoundAfterStopAndStartsAgainOnce() {
        AtomicInteger rounds = new AtomicInteger();
        PeriodicRound periodic = new PeriodicRound(PeriodicRoundTest.class, "Probe", INTERVAL,
                () -> Mono.fromRunnable(rounds::incrementAndGet));
        periodic.start();
        periodic.start();
        time.advanceTimeBy(INTERVAL);
        assertThat(rounds).hasValue(1);
        assertThat(periodic.isRunning()).isTrue();

        periodic.stop();
        time.advanceTimeBy(INTERVAL.multipliedBy(5));
        assertThat(rounds).hasValue(1);
        assertThat(periodic.isRunning()).isFalse();
    }
}
