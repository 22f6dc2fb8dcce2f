package dev.conversa.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.common.utils.Utils;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Links N sessions the way an operator does, many at once: {@code POST /api/v1/sessions} (the owner opens the
 * socket and shows a QR), {@code GET …/qr} until there is one, the phone scans it on the simulator with a number of
 * its own; the service then stores the credentials, reconnects after the 515 and marks the session connected. The
 * clock runs from the first create until {@code /api/v1/sessions/stats} counts every linked session connected.
 */
final class SessionLinker {

    /** Business numbers: {@code 5491170000000 + i}, one per session. */
    private static final long NUMBER_BASE = 5_491_170_000_000L;
    private static final Duration QR_POLL = Duration.ofMillis(250);
    private static final Duration QR_WAIT = Duration.ofSeconds(120);
    private static final Duration NO_PROGRESS_LIMIT = Duration.ofMinutes(3);

    /** A linked session: its id, its number and device on the simulator, its {@code wa.commands} partition. */
    record LinkedSession(UUID sessionId, String phoneNumber, String deviceId, int partition) {
    }

    /** What linking N sessions took. */
    record Result(List<LinkedSession> sessions, int failed, long connected, long createAndScanNanos,
            long connectNanos) {

        Map<String, Object> toMap(int requested) {
            Map<String, Object> map = Report.map();
            map.put("requested", requested);
            map.put("linked", sessions.size());
            map.put("failedToLink", failed);
            map.put("connected", connected);
            map.put("createAndScanSeconds", Report.seconds(createAndScanNanos));
            map.put("connectAllSeconds", Report.seconds(connectNanos));
            map.put("sessionsPerSecond", Report.round(connected / (connectNanos / 1e9), 1));
            return map;
        }
    }

    private final SessionsApi api;
    private final SimulatorPhone phone;
    private final int partitions;
    private final AtomicInteger created = new AtomicInteger();
    private final AtomicInteger scanned = new AtomicInteger();

    SessionLinker(SessionsApi api, SimulatorPhone phone, int partitions) {
        this.api = api;
        this.phone = phone;
        this.partitions = partitions;
    }

    Result linkAll(int sessions, int concurrency) {
        AtomicInteger failed = new AtomicInteger();
        long start = System.nanoTime();
        var progress = Flux.interval(Duration.ofSeconds(10)).subscribe(tick -> System.err.printf(
                "linking: %d created, %d scanned, %d failed%n", created.get(), scanned.get(), failed.get()));
        List<LinkedSession> linked = Flux.range(0, sessions)
                .flatMap(index -> link(index).onErrorResume(error -> {
                    if (failed.incrementAndGet() <= 10) {
                        System.err.println("link " + index + " failed: " + error);
                    }
                    return Mono.empty();
                }), concurrency)
                .collectList()
                .block(Duration.ofHours(1));
        long scannedAt = System.nanoTime();
        progress.dispose();
        long connected = awaitConnected(linked.size());
        return new Result(linked, failed.get(), connected, scannedAt - start, System.nanoTime() - start);
    }

    private Mono<LinkedSession> link(int index) {
        String number = Long.toString(NUMBER_BASE + index);
        return api.createLinked("bench-" + index)
                .doOnNext(id -> created.incrementAndGet())
                .flatMap(id -> scanCurrentQr(id, number)
                        .map(device -> new LinkedSession(id, number, device.deviceId(), partitionOf(id))));
    }

    /** Reads the session's QR and scans it; a ref that rotated meanwhile is read again (up to 5 times). */
    private Mono<SimulatorPhone.Device> scanCurrentQr(UUID sessionId, String number) {
        return Mono.defer(() -> awaitQrRef(sessionId))
                .flatMap(ref -> phone.scan(ref, number))
                .retryWhen(Retry.fixedDelay(5, QR_POLL)
                        .filter(SimulatorPhone.StaleRefException.class::isInstance))
                .doOnNext(device -> scanned.incrementAndGet());
    }

    private Mono<String> awaitQrRef(UUID sessionId) {
        return api.qrRef(sessionId)
                .repeatWhenEmpty(Integer.MAX_VALUE, attempts -> attempts.delayElements(QR_POLL))
                .timeout(QR_WAIT);
    }

    /** Polls the stats until {@code expected} sessions are connected, or until nothing moved for a while. */
    private long awaitConnected(int expected) {
        long connected = api.connected();
        long lastProgress = System.nanoTime();
        long lastReport = System.nanoTime();
        while (connected < expected && System.nanoTime() - lastProgress < NO_PROGRESS_LIMIT.toNanos()) {
            Pause.millis(250);
            long now = api.connected();
            if (now != connected) {
                lastProgress = System.nanoTime();
            }
            connected = now;
            if (System.nanoTime() - lastReport > Duration.ofSeconds(10).toNanos()) {
                System.err.printf("connecting: %d of %d connected%n", connected, expected);
                lastReport = System.nanoTime();
            }
        }
        return connected;
    }

    /** The session's {@code wa.commands} partition: Kafka's key hash of the session id, as {@code CommandPartitions}. */
    private int partitionOf(UUID sessionId) {
        return Utils.toPositive(Utils.murmur2(sessionId.toString().getBytes(StandardCharsets.UTF_8))) % partitions;
    }
}
