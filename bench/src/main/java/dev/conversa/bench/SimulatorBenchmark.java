package dev.conversa.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.netty.ByteBufFlux;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.WebsocketClientSpec;
import reactor.netty.http.websocket.WebsocketInbound;
import reactor.netty.http.websocket.WebsocketOutbound;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Holds N linked devices on a running simulator and measures what it sustains: every device is linked through the
 * real protocol (hello → qr → phone scans → pair-success → 515 → hello with credentials → open); then an inbound
 * load run delivers messages to all devices while this client measures the rate received and the end-to-end latency
 * from each message's {@code sentAtMicros} (acknowledging every frame with {@code delivery.ack}, as a real device
 * does); then the devices send at a target rate and the acks are measured.
 * Prints one JSON document and one summary line.
 *
 * <p>Arguments (all optional): {@code --url=http://127.0.0.1:18090 --devices=10000 --rate=20000 --seconds=20
 * --outbound-rate=20000 --link-concurrency=400}.
 */
public final class SimulatorBenchmark {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final long NUMBER_BASE = 18_000_000_000L;

    private final String httpUrl;
    private final String wsUrl;
    private final int devices;
    private final HttpClient http;
    private final HttpClient ws;

    private final List<Device> live = new ArrayList<>();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closedUnexpectedly = new AtomicInteger();
    private final ConcurrentLinkedQueue<String> closeReasons = new ConcurrentLinkedQueue<>();
    private final LongAdder received = new LongAdder();
    private final AtomicLong firstReceivedNanos = new AtomicLong();
    private final AtomicLong lastReceivedNanos = new AtomicLong();
    private final LatencyHistogram inboundLatency = new LatencyHistogram();
    private final LongAdder acks = new LongAdder();
    private final LongAdder ackErrors = new LongAdder();
    private final LongAdder receipts = new LongAdder();
    private final LatencyHistogram ackLatency = new LatencyHistogram();
    private final AtomicLong firstAckNanos = new AtomicLong();
    private final AtomicLong lastAckNanos = new AtomicLong();

    private SimulatorBenchmark(String httpUrl, int devices) {
        this.httpUrl = httpUrl;
        this.wsUrl = httpUrl.replaceFirst("^http", "ws") + "/linked/v1";
        this.devices = devices;
        ConnectionProvider provider = ConnectionProvider.builder("bench").maxConnections(devices + 1_000)
                .pendingAcquireMaxCount(-1).build();
        this.http = HttpClient.create(ConnectionProvider.builder("control").maxConnections(500)
                .pendingAcquireMaxCount(-1).build()).baseUrl(httpUrl).responseTimeout(Duration.ofSeconds(60));
        this.ws = HttpClient.create(provider).responseTimeout(Duration.ofSeconds(60));
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        String url = options.getOrDefault("url", "http://127.0.0.1:18090");
        int devices = Integer.parseInt(options.getOrDefault("devices", "10000"));
        int rate = Integer.parseInt(options.getOrDefault("rate", "20000"));
        int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
        int outboundRate = Integer.parseInt(options.getOrDefault("outbound-rate", "20000"));
        int concurrency = Integer.parseInt(options.getOrDefault("link-concurrency", "400"));
        Exit.after(() -> new SimulatorBenchmark(url, devices).run(rate, seconds, outboundRate, concurrency));
    }

    private void run(int rate, int seconds, int outboundRate, int concurrency) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("benchmark", "whatsapp-simulator");
        report.put("startedAt", Instant.now().toString());
        report.put("cores", Runtime.getRuntime().availableProcessors());

        long linkStart = System.nanoTime();
        List<Credentials> credentials = Flux.range(0, devices)
                .flatMap(this::pair, concurrency)
                .collectList()
                .block(Duration.ofMinutes(10));
        double pairSeconds = (System.nanoTime() - linkStart) / 1e9;

        long openStart = System.nanoTime();
        Flux.fromIterable(credentials)
                .flatMap(this::open, concurrency)
                .then()
                .block(Duration.ofMinutes(10));
        double openSeconds = (System.nanoTime() - openStart) / 1e9;
        Thread.sleep(3_000);
        int heldBeforeLoad = opened.get() - closedUnexpectedly.get();

        Map<String, Object> linking = new LinkedHashMap<>();
        linking.put("devices", devices);
        linking.put("paired", credentials.size());
        linking.put("pairSeconds", round(pairSeconds));
        linking.put("reconnectedOpen", opened.get());
        linking.put("openSeconds", round(openSeconds));
        linking.put("heldConcurrently", heldBeforeLoad);
        report.put("linking", linking);

        report.put("inbound", inbound(credentials, rate, seconds));
        report.put("outbound", outbound(outboundRate, seconds));

        int heldAtEnd = opened.get() - closedUnexpectedly.get();
        report.put("heldAtEnd", heldAtEnd);
        report.put("unexpectedCloses", closedUnexpectedly.get());
        report.put("framesNotQueuedAfterClose", NOT_QUEUED.sum());
        report.put("closeReasons", closeReasons.stream().distinct().limit(10).toList());
        live.forEach(Device::close);

        System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        @SuppressWarnings("unchecked")
        Map<String, Object> in = (Map<String, Object>) report.get("inbound");
        @SuppressWarnings("unchecked")
        Map<String, Object> out = (Map<String, Object>) report.get("outbound");
        System.out.printf("SUMMARY whatsapp-simulator: %d devices held (linked in %.1fs), inbound %s msg/s received "
                        + "(target %d, lost %s, p50 %s ms, p99 %s ms), outbound %s acks/s (target %d, lost %s, p99 %s ms)%n",
                heldAtEnd, pairSeconds + openSeconds, in.get("receivedPerSecond"), rate, in.get("lost"),
                in.get("p50Millis"), in.get("p99Millis"), out.get("acksPerSecond"), outboundRate,
                out.get("lostAcks"), out.get("ackP99Millis"));
    }

    private Map<String, Object> inbound(List<Credentials> credentials, int rate, int seconds) throws Exception {
        List<String> numbers = credentials.stream().map(Credentials::phoneNumber).toList();
        String request = JSON.writeValueAsString(Map.of("ratePerSecond", rate, "businessNumbers", numbers,
                "durationSeconds", seconds, "customers", 10_000, "text", "bench"));
        JsonNode job = post("/sim/load", request).block(Duration.ofSeconds(30));
        String id = job.get("id").asString();
        JsonNode state = job;
        while (!"finished".equals(state.get("state").asString()) && !"stopped".equals(state.get("state")
                .asString())) {
            Thread.sleep(500);
            state = get("/sim/load/" + id).block(Duration.ofSeconds(30));
        }
        long delivered = state.get("delivered").asLong();
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (received.sum() < delivered && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        long count = received.sum();
        double window = (lastReceivedNanos.get() - firstReceivedNanos.get()) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("targetPerSecond", rate);
        result.put("seconds", seconds);
        result.put("planned", state.get("planned").asLong());
        result.put("deliveredBySimulator", delivered);
        result.put("failedInSimulator", state.get("failed").asLong());
        result.put("receivedByDevices", count);
        result.put("lost", delivered - count);
        result.put("receivedPerSecond", window > 0 ? Math.round(count / window) : 0);
        result.put("p50Millis", round(inboundLatency.percentileMillis(50)));
        result.put("p99Millis", round(inboundLatency.percentileMillis(99)));
        result.put("maxMillis", round(inboundLatency.maxMillis()));
        return result;
    }

    private Map<String, Object> outbound(int rate, int seconds) throws Exception {
        AtomicLong sent = new AtomicLong();
        Flux.interval(Duration.ofMillis(10))
                .take(seconds * 100L)
                .onBackpressureDrop()
                .doOnNext(tick -> {
                    int slice = (int) ((long) rate * ((tick % 100) + 1) / 100 - (long) rate * (tick % 100) / 100);
                    for (int i = 0; i < slice; i++) {
                        long n = sent.getAndIncrement();
                        Device device = live.get((int) (n % live.size()));
                        long micros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
                        device.send("{\"type\":\"send\",\"clientRef\":\"b-" + micros + "-" + n
                                + "\",\"to\":\"" + (19_990_000_000L + n % 10_000)
                                + "\",\"message\":{\"type\":\"text\",\"text\":\"bench " + n + "\"}}");
                    }
                })
                .blockLast(Duration.ofSeconds(seconds + 30L));
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (acks.sum() + ackErrors.sum() < sent.get() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        double window = (lastAckNanos.get() - firstAckNanos.get()) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("targetPerSecond", rate);
        result.put("seconds", seconds);
        result.put("sent", sent.get());
        result.put("lostAcks", sent.get() - acks.sum() - ackErrors.sum());
        result.put("acked", acks.sum());
        result.put("ackErrors", ackErrors.sum());
        result.put("receipts", receipts.sum());
        result.put("acksPerSecond", window > 0 ? Math.round(acks.sum() / window) : 0);
        result.put("ackP50Millis", round(ackLatency.percentileMillis(50)));
        result.put("ackP99Millis", round(ackLatency.percentileMillis(99)));
        return result;
    }

    record Credentials(String deviceId, String secret, String phoneNumber) {
    }

    /** First connection of a device: QR, the phone scans it, pair-success, then the server's 515 close. */
    private Mono<Credentials> pair(int index) {
        String phoneNumber = String.valueOf(NUMBER_BASE + index);
        Sinks.One<Credentials> result = Sinks.one();
        return ws.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
                .uri(wsUrl)
                .handle((in, out) -> {
                    Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
                    outgoing.tryEmitNext("{\"type\":\"hello\",\"protocol\":1,\"client\":\"bench\",\"credentials\":null}");
                    AtomicInteger qrSeen = new AtomicInteger();
                    Mono<Void> reading = in.receive().asString()
                            .concatMap(frame -> {
                                JsonNode node = JSON.readTree(frame);
                                String type = node.get("type").asString();
                                if ("qr".equals(type) && qrSeen.getAndIncrement() == 0) {
                                    return post("/sim/linked/scan", "{\"ref\":\"" + node.get("ref").asString()
                                            + "\",\"phoneNumber\":\"" + phoneNumber + "\",\"pushName\":\"Bench "
                                            + index + "\"}").then();
                                }
                                if ("pair-success".equals(type)) {
                                    JsonNode creds = node.get("credentials");
                                    result.tryEmitValue(new Credentials(creds.get("deviceId").asString(),
                                            creds.get("secret").asString(), phoneNumber));
                                }
                                return Mono.empty();
                            })
                            .then()
                            .doFinally(signal -> outgoing.tryEmitComplete());
                    return out.sendString(outgoing.asFlux()).then().and(reading);
                })
                .then(result.asMono())
                .timeout(Duration.ofSeconds(120));
    }

    /** The device's live connection: counts messages, answers pings, takes acks and receipts. */
    private Mono<Void> open(Credentials credentials) {
        Device device = new Device();
        Sinks.One<Void> isOpen = Sinks.one();
        String hello = "{\"type\":\"hello\",\"protocol\":1,\"client\":\"bench\",\"credentials\":{\"deviceId\":\""
                + credentials.deviceId() + "\",\"secret\":\"" + credentials.secret() + "\"}}";
        device.send(hello);
        device.subscription = ws.websocket(WebsocketClientSpec.builder().maxFramePayloadLength(1 << 20).build())
                .uri(wsUrl)
                .handle((in, out) -> live(device, isOpen, in, out))
                .subscribe(ignored -> { }, error -> {
                    closedUnexpectedly.incrementAndGet();
                    closeReasons.add(String.valueOf(error.getMessage()));
                });
        return isOpen.asMono().timeout(Duration.ofSeconds(120));
    }

    private Mono<Void> live(Device device, Sinks.One<Void> isOpen, WebsocketInbound in, WebsocketOutbound out) {
        in.receiveCloseStatus().subscribe(status -> {
            if (!device.closing) {
                closedUnexpectedly.incrementAndGet();
                closeReasons.add(status.code() + " " + status.reasonText());
            }
        });
        Mono<Void> reading = in.receive().asString()
                .doOnNext(frame -> onFrame(device, isOpen, frame))
                .then()
                .doFinally(signal -> device.outgoing.tryEmitComplete());
        return out.sendString(device.outgoing.asFlux()).then().and(reading);
    }

    private void onFrame(Device device, Sinks.One<Void> isOpen, String frame) {
        if (frame.contains("\"type\":\"message\"")) {
            acknowledge(device, frame);
            long now = System.nanoTime();
            firstReceivedNanos.compareAndSet(0, now);
            lastReceivedNanos.set(now);
            received.increment();
            long sentAt = longField(frame, "\"sentAtMicros\":");
            if (sentAt > 0) {
                inboundLatency.record(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) - sentAt);
            }
        }
        else if (frame.contains("\"type\":\"ack\"")) {
            if (frame.contains("\"error\"")) {
                ackErrors.increment();
            }
            else {
                long now = System.nanoTime();
                firstAckNanos.compareAndSet(0, now);
                lastAckNanos.set(now);
                acks.increment();
                int at = frame.indexOf("\"clientRef\":\"b-");
                if (at >= 0) {
                    long sentAt = Long.parseLong(frame, at + 15, frame.indexOf('-', at + 15), 10);
                    ackLatency.record(ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) - sentAt);
                }
            }
        }
        else if (frame.contains("\"type\":\"receipt\"")) {
            acknowledge(device, frame);
            receipts.increment();
        }
        else if (frame.contains("\"type\":\"ping\"")) {
            JsonNode ping = JSON.readTree(frame);
            device.send("{\"type\":\"pong\",\"id\":\"" + ping.get("id").asString() + "\"}");
        }
        else if (frame.contains("\"type\":\"open\"")) {
            opened.incrementAndGet();
            synchronized (live) {
                live.add(device);
            }
            isOpen.tryEmitEmpty();
        }
    }

    /** Tells the simulator the frame was handled, as a device does once it has handed a frame on durably. */
    private static void acknowledge(Device device, String frame) {
        String marker = "\"deliveryId\":\"";
        int at = frame.indexOf(marker);
        if (at >= 0) {
            int start = at + marker.length();
            String id = frame.substring(start, frame.indexOf('"', start));
            device.send("{\"type\":\"delivery.ack\",\"deliveryIds\":[\"" + id + "\"]}");
        }
    }

    private static long longField(String frame, String name) {
        int at = frame.indexOf(name);
        if (at < 0) {
            return -1;
        }
        int start = at + name.length();
        int end = start;
        while (end < frame.length() && Character.isDigit(frame.charAt(end))) {
            end++;
        }
        return end > start ? Long.parseLong(frame, start, end, 10) : -1;
    }

    private Mono<JsonNode> post(String path, String body) {
        return http.headers(headers -> headers.set(HttpHeaderNames.CONTENT_TYPE, "application/json"))
                .post().uri(path)
                .send(ByteBufFlux.fromString(Mono.just(body)))
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
                        .defaultIfEmpty("{}")
                        .flatMap(text -> response.status().code() < 300 ? Mono.just(JSON.readTree(text))
                                : Mono.error(new IllegalStateException(path + " answered "
                                        + response.status().code() + ": " + text))));
    }

    private Mono<JsonNode> get(String path) {
        return http.get().uri(path)
                .responseSingle((response, content) -> content.asString(StandardCharsets.UTF_8)
                        .map(JSON::readTree));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return options;
    }

    /** One live device connection; frames to the simulator go through a bounded queue. */
    /** Frames a device could not queue because its connection had already ended. */
    private static final LongAdder NOT_QUEUED = new LongAdder();

    private static final class Device {
        final Sinks.Many<String> outgoing = Sinks.many().unicast().onBackpressureBuffer();
        volatile reactor.core.Disposable subscription;
        volatile boolean closing;

        /** Serialized: pongs come from the reading thread, sends from the pacing thread. */
        synchronized void send(String frame) {
            if (outgoing.tryEmitNext(frame).isFailure() && !closing) {
                NOT_QUEUED.increment();
            }
        }

        void close() {
            closing = true;
            if (subscription != null) {
                subscription.dispose();
            }
        }
    }
}
