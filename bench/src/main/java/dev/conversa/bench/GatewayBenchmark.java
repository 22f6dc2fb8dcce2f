package dev.conversa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestRedis;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * gateway-service's throughput and the latency it adds, in one run: the same closed-loop load (each connection sends
 * its next request when the previous one answered) goes to a service directly and through the gateway, in
 * alternating rounds so both see the same machine. Throughput is measured with {@code connections} (64); the added
 * latency with {@code latency-connections} (4), where neither side queues, so the difference is the gateway's own
 * cost rather than waiting behind other requests. The "service" is a small Reactor Netty server in this JVM
 * answering a 159-byte JSON (the gateway's cost is the subject); the gateway runs from its executable jar in a JVM
 * of its own with its production configuration: JWT verified on every request (RS256 against the test JWKS), the
 * Redis rate limiter charged on every request (limit raised so nothing is refused), the circuit breaker, request ids
 * and security headers. Prints one JSON document and a SUMMARY line; asserts nothing.
 *
 * <p>Options ({@code --key=value}): {@code connections} (64), {@code latency-connections} (4), {@code rounds} (3),
 * {@code round-seconds} (10), {@code warmup-seconds} of the gateway (60; the JIT needs it), {@code heap} of the
 * gateway (512m), {@code rate-limit} (true; false switches the limiter off to see its share), {@code gateway-jar},
 * {@code work-dir}.
 */
public final class GatewayBenchmark {

    private static final String PATH = "/api/v1/agents/bench";
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);
    /** A request without an answer in this time counts as an error (and the connection is replaced). */
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] BODY = ("{\"agents\":[{\"id\":\"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\",\"status\":"
            + "\"available\",\"capacity\":5,\"load\":2,\"skills\":[\"sales\",\"support\"]}],\"page\":0,\"size\":20,"
            + "\"total\":1}").getBytes(java.nio.charset.StandardCharsets.UTF_8);

    private final Map<String, String> options;

    private GatewayBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        Exit.after(() -> new GatewayBenchmark(options).run());
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private record Phase(String target, long requests, long errors, double seconds, LatencyHistogram latency) {
    }

    private void run() throws Exception {
        int connections = Integer.parseInt(option("connections", "64"));
        int latencyConnections = Integer.parseInt(option("latency-connections", "4"));
        int rounds = Integer.parseInt(option("rounds", "3"));
        Duration round = Duration.ofSeconds(Long.parseLong(option("round-seconds", "10")));
        Duration warmup = Duration.ofSeconds(Long.parseLong(option("warmup-seconds", "60")));
        Path workDir = Path.of(option("work-dir", "bench/target/gateway"));
        Map<String, Object> report = Report.map();
        report.put("benchmark", "gateway");
        report.put("startedAt", Instant.now().toString());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("loadAverageBefore", loadAverage());
        Map<String, Object> settings = Report.map();
        settings.put("connections", connections);
        settings.put("latencyConnections", latencyConnections);
        settings.put("rounds", rounds);
        settings.put("roundSeconds", round.toSeconds());
        settings.put("warmupSeconds", warmup.toSeconds());
        settings.put("gatewayHeap", option("heap", "512m"));
        settings.put("responseBytes", BODY.length);
        report.put("settings", settings);

        LoopResources serverLoops = LoopResources.create("bench-service", 1, true);
        ByteBuf body = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(BODY));
        DisposableServer service = HttpServer.create().host("127.0.0.1").port(0).runOn(serverLoops)
                .handle((request, response) -> request.receive().then(response
                        .header("Content-Type", "application/json")
                        .header("Content-Length", Integer.toString(BODY.length))
                        .send(Mono.just(body.retainedDuplicate())).then()))
                .bindNow();
        String serviceUrl = "http://127.0.0.1:" + service.port();
        TestRedis.Database redis = TestRedis.allocate();
        Files.createDirectories(workDir);
        Path log = workDir.resolve("gateway-service.log");
        System.err.println("starting gateway-service (log " + log + ")");
        try (ServiceJvm gateway = ServiceJvm.start("gateway-service", Path.of(option("gateway-jar", "")),
                List.of("-Xms" + option("heap", "512m"), "-Xmx" + option("heap", "512m"),
                        "-XX:+ExitOnOutOfMemoryError"),
                gatewayProperties(serviceUrl, redis, options), log, READY_WITHIN)) {
            String token = TestJwts.get().token("bench-agent", "tenant-bench", "agent");
            LoopResources clientLoops = LoopResources.create("bench-client", 1, true);
            ConnectionProvider pool = ConnectionProvider.builder("bench").maxConnections(connections)
                    .pendingAcquireMaxCount(-1).build();
            HttpClient client = HttpClient.create(pool).runOn(clientLoops)
                    .headers(headers -> headers.set("Authorization", "Bearer " + token));
            try {
                System.err.println("warm-up: direct 10 s, gateway " + warmup.toSeconds() + " s (JIT)");
                load(client, serviceUrl, "direct", connections, Duration.ofSeconds(10), new LatencyHistogram());
                load(client, gateway.baseUrl(), "gateway", connections, warmup, new LatencyHistogram());
                List<Phase> direct = new ArrayList<>();
                List<Phase> through = new ArrayList<>();
                LatencyHistogram directLatency = new LatencyHistogram();
                LatencyHistogram gatewayLatency = new LatencyHistogram();
                for (int i = 0; i < rounds; i++) {
                    direct.add(load(client, serviceUrl, "direct", connections, round, directLatency));
                    through.add(load(client, gateway.baseUrl(), "gateway", connections, round, gatewayLatency));
                }
                // latency at a load the gateway is not saturated by: few connections, so no queueing in the figures
                List<Phase> directQuiet = new ArrayList<>();
                List<Phase> throughQuiet = new ArrayList<>();
                LatencyHistogram directQuietLatency = new LatencyHistogram();
                LatencyHistogram gatewayQuietLatency = new LatencyHistogram();
                for (int i = 0; i < rounds; i++) {
                    directQuiet.add(load(client, serviceUrl, "direct", latencyConnections, round, directQuietLatency));
                    throughQuiet.add(load(client, gateway.baseUrl(), "gateway", latencyConnections, round,
                            gatewayQuietLatency));
                }
                Map<String, Object> d = summary(direct, directLatency);
                Map<String, Object> g = summary(through, gatewayLatency);
                Map<String, Object> dq = summary(directQuiet, directQuietLatency);
                Map<String, Object> gq = summary(throughQuiet, gatewayQuietLatency);
                report.put("throughputDirect", d);
                report.put("throughputGateway", g);
                report.put("latencyDirect", dq);
                report.put("latencyGateway", gq);
                double addedP50 = Report.round((double) gq.get("p50Millis") - (double) dq.get("p50Millis"), 2);
                double addedP99 = Report.round((double) gq.get("p99Millis") - (double) dq.get("p99Millis"), 2);
                report.put("addedP50Millis", addedP50);
                report.put("addedP99Millis", addedP99);
                report.put("gatewayRssMb", Report.mb(gateway.residentBytes()));
                report.put("loadAverageAfter", loadAverage());
                System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
                double rps = (double) g.get("requestsPerSecond");
                System.out.println("SUMMARY gateway " + rps + " req/s at " + connections + " connections (direct "
                        + d.get("requestsPerSecond") + " req/s); at " + latencyConnections + " connections p50 "
                        + gq.get("p50Millis") + " ms vs " + dq.get("p50Millis") + " ms direct, p99 "
                        + gq.get("p99Millis")
                        + " ms vs " + dq.get("p99Millis") + " ms: added p50 " + addedP50 + " ms, p99 " + addedP99
                        + " ms; errors " + ((long) g.get("errors") + (long) gq.get("errors"))
                        + "; target >=5000 req/s: " + (rps >= 5000 ? "met" : "missed")
                        + ", added p99 <=5 ms: " + (addedP99 <= 5 ? "met" : "missed") + " load=" + loadAverage());
            }
            finally {
                pool.disposeLater().block(Duration.ofSeconds(10));
                clientLoops.disposeLater().block(Duration.ofSeconds(10));
            }
        }
        finally {
            service.disposeNow();
            serverLoops.disposeLater().block(Duration.ofSeconds(10));
        }
    }

    private static Map<String, Object> gatewayProperties(String serviceUrl, TestRedis.Database redis,
            Map<String, String> options) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String service : List.of("SESSION", "MESSAGE", "CAMPAIGN", "DISTRIBUTION", "NOTIFICATION")) {
            properties.put(service + "_SERVICE_URL", serviceUrl);
        }
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        properties.put("spring.data.redis.database", redis.index());
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.get().issuer());
        properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestJwts.get().jwksUri());
        // the limiter stays on (its Redis round trip is part of the cost); the limit is raised so nothing is refused
        properties.put("conversa.gateway.rate-limit.defaults.requests", 100_000_000);
        properties.put("conversa.gateway.rate-limit.defaults.period", "1000m");
        properties.put("conversa.gateway.rate-limit.enabled", options.getOrDefault("rate-limit", "true"));
        properties.put("management.tracing.export.enabled", false);
        properties.put("logging.level.root", "WARN");
        return properties;
    }

    /** N connections in a closed loop for {@code duration}: each sends its next request when the last answered. */
    private static Phase load(HttpClient client, String baseUrl, String target, int connections, Duration duration,
            LatencyHistogram aggregate) {
        LatencyHistogram latency = new LatencyHistogram();
        LongAdder errors = new LongAdder();
        HttpClient http = client.baseUrl(baseUrl);
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        Flux.range(0, connections)
                .flatMap(i -> Mono.defer(() -> {
                    long sent = System.nanoTime();
                    return http.get().uri(PATH)
                            .responseSingle((response, content) -> content.then(Mono.just(response.status().code())))
                            .timeout(REQUEST_TIMEOUT)
                            .doOnNext(status -> {
                                if (status == 200) {
                                    long micros = (System.nanoTime() - sent) / 1000;
                                    latency.record(micros);
                                    aggregate.record(micros);
                                }
                                else {
                                    errors.increment();
                                }
                            })
                            .onErrorResume(error -> {
                                errors.increment();
                                return Mono.empty();
                            });
                }).repeat(() -> System.nanoTime() < deadline), connections)
                .blockLast(duration.plusMinutes(1));
        double seconds = (System.nanoTime() - start) / 1e9;
        Phase phase = new Phase(target, latency.count(), errors.sum(), seconds, latency);
        System.err.printf("%s: %.0f req/s p50=%.2fms p99=%.2fms errors=%d%n", target, latency.count() / seconds,
                latency.percentileMillis(50), latency.percentileMillis(99), errors.sum());
        return phase;
    }

    private static Map<String, Object> summary(List<Phase> phases, LatencyHistogram all) {
        long requests = 0;
        long errors = 0;
        double seconds = 0;
        List<Double> perRound = new ArrayList<>();
        for (Phase phase : phases) {
            requests += phase.requests();
            errors += phase.errors();
            seconds += phase.seconds();
            perRound.add(Report.round(phase.requests() / phase.seconds(), 0));
        }
        Map<String, Object> summary = Report.map();
        summary.put("requests", requests);
        summary.put("errors", errors);
        summary.put("requestsPerSecond", Report.round(requests / seconds, 0));
        summary.put("requestsPerSecondPerRound", perRound);
        summary.put("p50Millis", Report.round(all.percentileMillis(50), 2));
        summary.put("p90Millis", Report.round(all.percentileMillis(90), 2));
        summary.put("p99Millis", Report.round(all.percentileMillis(99), 2));
        summary.put("maxMillis", Report.round(all.maxMillis(), 2));
        return summary;
    }

    private static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return parts[0] + "/" + parts[1] + "/" + parts[2];
        }
        catch (IOException e) {
            return "?";
        }
    }
}
