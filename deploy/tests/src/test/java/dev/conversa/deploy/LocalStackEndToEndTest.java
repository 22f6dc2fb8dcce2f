package dev.conversa.deploy;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static java.util.concurrent.TimeUnit.MINUTES;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The README's first command, end to end: {@code ./conversa up} on the jars this build just made (Kafka and Keycloak
 * from Maven Central, the machine's PostgreSQL and Redis), then {@code ./conversa demo} through the gateway with a
 * demo token, asserting each of its steps, one request's trace across gateway, session-service, Kafka and
 * message-service, then {@code ./conversa down}. Uses its own state directory, database ({@code conversa_e2e},
 * recreated) and Redis database (9); the stack's fixed ports must be free. The services export their spans (OTLP
 * over HTTP) to a small receiver in this JVM. Skip it with {@code -Dconversa.e2e.skip=true}.
 */
@DisabledIfSystemProperty(named = "conversa.e2e.skip", matches = "true")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 12, unit = MINUTES)
class LocalStackEndToEndTest {

    private static final Path ROOT = Repo.root();
    private static final Path STATE = ROOT.resolve("deploy/tests/target/local-stack");
    private static final List<String> SERVICES = List.of("gateway", "session", "message", "campaign", "distribution",
            "notification");
    private static final List<byte[]> EXPORTED_SPANS = new CopyOnWriteArrayList<>();

    private static HttpServer otlpReceiver;
    private static Map<String, String> env;

    @BeforeAll
    static void stackComesUp() throws Exception {
        for (int port : new int[] {8080, 8081, 8082, 8083, 8084, 8085, 8090, 8180, 9092}) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                fail("port " + port + " is in use: stop what listens there (./conversa down?) before this test");
            } catch (IOException expected) {
                // free
            }
        }
        for (String service : SERVICES) {
            Path target = ROOT.resolve(service + "-service/target");
            try (var jars = Files.list(target)) {
                assertThat(jars.anyMatch(p -> p.getFileName().toString().endsWith("-exec.jar")))
                        .as("%s-service's runnable jar (build the services first: ./mvnw -B install -DskipTests)",
                                service)
                        .isTrue();
            } catch (IOException e) {
                fail("no " + target + ": build the services first (./mvnw -B install -DskipTests)");
            }
        }
        // an OTLP/HTTP traces endpoint: keeps every export request's protobuf body
        otlpReceiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        otlpReceiver.createContext("/v1/traces", exchange -> {
            EXPORTED_SPANS.add(exchange.getRequestBody().readAllBytes());
            exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        otlpReceiver.start();
        env = new HashMap<>(Map.of(
                "CONVERSA_STATE_DIR", STATE.toString(),
                "CONVERSA_DB_NAME", "conversa_e2e",
                "CONVERSA_DB_RESET", "1",
                "CONVERSA_REDIS_DATABASE", "9",
                "CONVERSA_HEALTH_TIMEOUT", "420",
                "CONVERSA_DEMO_TIMEOUT", "90",
                "CONVERSA_LOG_FORMAT", "ecs",
                "CONVERSA_OTLP_TRACES_ENDPOINT",
                "http://127.0.0.1:" + otlpReceiver.getAddress().getPort() + "/v1/traces"));

        long started = System.nanoTime();
        Result up = conversa(Duration.ofMinutes(10), "up");
        System.out.printf("stack up in %d s%n", TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
        assertThat(up.exitCode()).as("./conversa up\n%s", up.output()).isZero();
        assertThat(up.output()).contains("Conversa is up", "http://localhost:8080", "demo-agent");
    }

    @AfterAll
    static void stackStops() throws Exception {
        try {
            Result down = conversa(Duration.ofMinutes(2), "down");
            assertThat(down.exitCode()).as(down.output()).isZero();
        } finally {
            if (otlpReceiver != null) {
                otlpReceiver.stop(0);
            }
        }
    }

    @Test
    @Order(1)
    void everyComponentReportsHealthyInStatus() throws Exception {
        Result status = conversa(Duration.ofMinutes(1), "status");

        assertThat(status.exitCode()).as(status.output()).isZero();
        for (String component : List.of("kafka", "keycloak", "simulator", "gateway", "session", "message", "campaign",
                "distribution", "notification")) {
            assertThat(status.output()).containsPattern("(?m)^" + component + "\\s+\\d+\\s+\\d+\\s+up$");
        }
    }

    @Test
    @Order(2)
    void demoFlowPassesEveryStepThroughTheGateway() throws Exception {
        Result demo = conversa(Duration.ofMinutes(5), "demo");

        System.out.printf("demo in %d s%n", demo.seconds());
        assertThat(demo.output()).as("./conversa demo\n%s", demo.output()).doesNotContain("[FAILED]");
        IntStream.rangeClosed(1, 10).forEach(step ->
                assertThat(demo.output()).as("demo step %d\n%s", step, demo.output())
                        .contains("[ok] " + step + "/10 "));
        assertThat(demo.output())
                .contains("session connected as +")
                .containsPattern("assigned to agent [0-9a-f-]{36}")
                .containsPattern("reply [0-9a-f-]{36} is (sent|delivered|read) on WhatsApp")
                .contains("3 accepted, 1 rejected")
                .containsPattern("campaign funnel: \\{\"total\":3,")
                .contains("Demo finished: 10/10 steps passed.");
        assertThat(demo.exitCode()).isZero();

        // the business metrics the Grafana dashboard reads are served by the running services
        assertThat(prometheus(8081)).containsPattern("(?m)^conversa_session_live(\\{.*\\})? [1-9]");
        assertThat(prometheus(8084)).contains("distribution_queue_waiting");

        Result logs = conversa(Duration.ofSeconds(30), "logs", "session");
        assertThat(logs.exitCode()).isZero();
        // JSON (ECS) log lines with trace ids
        assertThat(logs.output()).contains("\"@timestamp\"", "session-service");
    }

    /**
     * One trace id from a gateway request through session-service, Kafka ({@code wa.commands}) and message-service:
     * the request carries a W3C {@code traceparent} we chose, and each service's exported spans must hold that id.
     */
    @Test
    @Order(3)
    void oneTraceFollowsARequestFromTheGatewayThroughKafkaToMessageService() throws Exception {
        byte[] traceId = new byte[16];
        ThreadLocalRandom.current().nextBytes(traceId);
        String traceHex = HexFormat.of().formatHex(traceId);
        String token = demoToken();

        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:8080/api/v1/sessions"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json")
                    .header("traceparent", "00-" + traceHex + "-" + HexFormat.of().formatHex(new byte[] {
                            1, 2, 3, 4, 5, 6, 7, 8}) + "-01")
                    .POST(HttpRequest.BodyPublishers.ofString(
                            "{\"name\":\"trace-" + traceHex.substring(0, 8) + "\",\"transport\":\"linked\"}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }

        Set<String> services = new TreeSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && !services.containsAll(
                List.of("gateway-service", "session-service", "message-service"))) {
            services.clear();
            for (byte[] body : EXPORTED_SPANS) {
                if (indexOf(body, traceId) >= 0) {
                    String text = new String(body, StandardCharsets.ISO_8859_1);
                    for (String service : List.of("gateway-service", "session-service", "message-service",
                            "notification-service", "campaign-service", "distribution-service")) {
                        if (text.contains(service)) {
                            services.add(service);
                        }
                    }
                }
            }
            Thread.sleep(1000);
        }
        assertThat(services).as("services whose exported spans carry trace %s (%d export requests received)",
                traceHex, EXPORTED_SPANS.size()).contains("gateway-service", "session-service", "message-service");
    }

    // ------------------------------------------------------------------ helpers

    private static String demoToken() throws Exception {
        Properties secrets = new Properties();
        try (var in = Files.newBufferedReader(STATE.resolve("secrets.env"))) {
            secrets.load(in);
        }
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://localhost:8180/realms/conversa/protocol/openid-connect/token"))
                    .timeout(Duration.ofSeconds(20))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=conversa-demo"
                            + "&client_secret=" + secrets.getProperty("CONVERSA_DEMO_CLIENT_SECRET")))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            var matcher = java.util.regex.Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(response.body());
            assertThat(matcher.find()).isTrue();
            return matcher.group(1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String prometheus(int port) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return response.body();
        }
    }

    private record Result(int exitCode, String output, long seconds) {
    }

    private static Result conversa(Duration timeout, String... args) throws Exception {
        Files.createDirectories(STATE);
        Path log = STATE.resolve("conversa-" + args[0] + ".out");
        ProcessBuilder builder = new ProcessBuilder();
        builder.command().add("bash");
        builder.command().add(ROOT.resolve("conversa").toString());
        builder.command().addAll(List.of(args));
        builder.directory(ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, Files.readString(log, StandardCharsets.UTF_8) + "\n(timed out after " + timeout + ")",
                    timeout.toSeconds());
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8),
                TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
    }
}
