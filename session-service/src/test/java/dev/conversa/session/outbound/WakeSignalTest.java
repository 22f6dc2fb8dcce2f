package dev.conversa.session.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import reactor.core.Disposable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

class WakeSignalTest {

    @Test
    void aWakeUpAfterAStormOfConcurrentOnesIsStillDelivered() throws Exception {
        WakeSignal signal = new WakeSignal();
        AtomicInteger looks = new AtomicInteger();
        // the consumer takes each wake-up on another thread, as the dispatcher's drain does
        Disposable consumer = signal.asFlux()
                .concatMap(wakeUp -> {
                    signal.taken();
                    looks.incrementAndGet();
                    return Mono.fromRunnable(Thread::onSpinWait).subscribeOn(Schedulers.parallel()).then();
                }, 1)
                .subscribe();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> wakers = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                wakers.add(threads.submit(() -> {
                    start.await();
                    for (int i = 0; i < 20_000; i++) {
                        signal.wake();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> waker : wakers) {
                waker.get();
            }

            await().atMost(Duration.ofSeconds(5)).until(() -> {
                int before = looks.get();
                signal.wake();
                Thread.sleep(20);
                return looks.get() > before;
            });
        }
        finally {
            threads.shutdownNow();
            consumer.dispose();
        }
    }

    @Test
    void wakeUpsWhileTheConsumerWorksCoalesceIntoOneLookAfterIt() {
        WakeSignal signal = new WakeSignal();
        List<Integer> looks = new ArrayList<>();
        signal.asFlux()
                .concatMap(wakeUp -> {
                    signal.taken();
                    looks.add(looks.size());
                    if (looks.size() == 1) {
                        // while the first look runs, three more wake-ups: one look after it, not three
                        signal.wake();
                        signal.wake();
                        signal.wake();
                    }
                    return Mono.empty();
                }, 1)
                .subscribe();

        signal.wake();

        assertThat(looks).containsExactly(0, 1);
    }

    @Test
    void aClosedSignalCompletesAndIgnoresWakeUps() {
        WakeSignal signal = new WakeSignal();
        List<Boolean> seen = new ArrayList<>();
        AtomicInteger completed = new AtomicInteger();
        signal.asFlux().subscribe(seen::add, error -> { }, completed::incrementAndGet);

        signal.close();
        signal.wake();

        assertThat(seen).isEmpty();
        assertThat(completed).hasValue(1);
    }
}
