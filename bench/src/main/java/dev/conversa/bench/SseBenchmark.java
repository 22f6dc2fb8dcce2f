package dev.conversa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.CloudEventHeaders;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;
import dev.conversa.testsupport.TestRedis;
import io.netty.channel.ChannelOption;
import reactor.core.Disposable;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.json.JsonMapper;

/**
 * SSE fan-out of notification-service: N concurrent SSE clients (one Reactor Netty connection each, in this JVM) on
 * one service instance (a JVM of its own, from its executable jar), at increasing N; events produced to
 * {@code crm.conversation.events} at a fixed rate, each carrying its send time (epoch µs, in
 * {@code lastMessagePreview}); the latency from that send to each client's receipt (p50/p99/max per step), and what
 * was lost. This JVM hosts the embedded KRaft broker, the test JWKS and the producer. All clients are supervisors of
 * one tenant, so every client gets every event: the worst case of fan-out. Prints one JSON document and one
 * {@code SUMMARY} line; asserts nothing. Per step it also lists each event's slowest receipt and its receipts over
 * 100 ms ({@link SseEventSpread}): whether the tail is a few slow events or every event's fan-out.
 *
 * <p>Options ({@code --key=value}): {@code clients} (1000,2500,5000,10000), {@code events} per step (100),
 * {@code rate} events/s (5), {@code settle-seconds} (3), {@code heap} of the service (1g), {@code client-threads}
 * (event loops reading the clients' connections, each with its share of them; the cores), {@code service-jvm-args}
 * (e.g. a flight recording), {@code service-props}, {@code service-jar}, {@code work-dir}.
 */
public final class SseBenchmark {

    private static final String DATABASE = "conversa_sse_bench";
    private static final String TENANT = "tenant-sse-bench";
    private static final long TARGET_MICROS = 100_000;
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Map<String, String> options;
    private final Map<String, Object> report = Report.map();
    private final LongAdder connected = new LongAdder();
    private final LongAdder failedConnections = new LongAdder();
    private volatile LatencyHistogram current = new LatencyHistogram();
    private volatile SseEventSpread currentSpread = new SseEventSpread(0, 0);

    private SseBenchmark(Map<String, String> options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        Exit.after(() -> new SseBenchmark(options).run());
    }

    private String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    private void run() throws Exception {
        List<Integer> steps = new ArrayList<>();
        for (String step : option("clients", "1000,2500,5000,10000").split(",")) {
            steps.add(Integer.parseInt(step.trim()));
        }
        int events = Integer.parseInt(option("events", "100"));
        double rate = Double.parseDouble(option("rate", "5"));
        int settleSeconds = Integer.parseInt(option("settle-seconds", "3"));
        Path workDir = Path.of(option("work-dir", "bench/target/sse"));
        report.put("benchmark", "sse");
        report.put("startedAt", Instant.now().toString());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("loadAverageBefore", loadAverage());
        Map<String, Object> settings = Report.map();
        settings.put("clients", steps);
        settings.put("eventsPerStep", events);
        settings.put("ratePerSecond", rate);
        settings.put("serviceHeap", option("heap", "1g"));
        report.put("settings", settings);

        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                "postgres", ""); Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + DATABASE);
        }
        TestKafka.broker();
        TestRedis.Database redis = TestRedis.allocate();
        Files.createDirectories(workDir);
        Path log = workDir.resolve("notification-service.log");
        String group = "notification-sse-bench-" + UUID.randomUUID();
        System.err.println("starting notification-service (log " + log + ")");
        try (ServiceJvm service = ServiceJvm.start("notification-service", Path.of(option("service-jar", "")),
                serviceJvm(),
                serviceProperties(redis, group), log, READY_WITHIN);
                KafkaProducer<byte[], byte[]> producer = producer()) {
            TestKafka.awaitAssignment(group, Topics.CRM_CONVERSATION_EVENTS, READY_WITHIN);
            String token = TestJwts.get().token("bench-supervisor", TENANT, "supervisor");
            // the clients stand for browsers on other machines: by default as many event loops as cores, so reading
            // 10,000 connections is not one thread's queue that the latency would include
            int clientThreads = Integer.parseInt(option("client-threads",
                    Integer.toString(Runtime.getRuntime().availableProcessors())));
            report.put("clientThreads", clientThreads);
            // one single-threaded loop per client (HTTP client) and the connections dealt out over them in turn: one
            // client on a group of several put every connection on the same event loop (measured: 10,000 on one)
            List<LoopResources> loops = new ArrayList<>();
            List<HttpClient> http = new ArrayList<>();
            for (int i = 0; i < clientThreads; i++) {
                LoopResources loop = LoopResources.create("sse-client-" + i, 1, true);
                loops.add(loop);
                http.add(HttpClient.create(ConnectionProvider.newConnection())
                        .runOn(loop)
                        .baseUrl(service.baseUrl())
                        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                        .headers(headers -> headers.set("Authorization", "Bearer " + token)
                                .set("Accept", "text/event-stream")));
            }
            List<Disposable> clients = new ArrayList<>();
            List<Map<String, Object>> results = new ArrayList<>();
            try {
                // warm-up, not reported: JIT, the relay's script, the first connections
                step(http, clients, Math.min(100, steps.getFirst()), producer, 40, 20, settleSeconds, service);
                for (int target : steps) {
                    results.add(step(http, clients, target, producer, events, rate, settleSeconds, service));
                }
            }
            finally {
                clients.forEach(Disposable::dispose);
                loops.forEach(loop -> loop.disposeLater().block(Duration.ofSeconds(10)));
            }
            report.put("steps", results);
            report.put("loadAverageAfter", loadAverage());
            System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            StringBuilder summary = new StringBuilder("SUMMARY");
            for (Map<String, Object> result : results) {
                summary.append(' ').append(result.get("clients")).append(" clients: p50=")
                        .append(result.get("p50Millis")).append("ms p99=").append(result.get("p99Millis"))
                        .append("ms max=").append(result.get("maxMillis")).append("ms lost=")
                        .append(result.get("lost")).append(';');
            }
            Object last = results.isEmpty() ? 0 : results.getLast().get("p99Millis");
            summary.append(" target p99<=100ms at 10000: ").append(results.isEmpty() ? "n/a"
                    : ((double) last <= 100 ? "met" : "missed")).append(" load=").append(loadAverage());
            System.out.println(summary);
        }
    }

    private Map<String, Object> step(List<HttpClient> http, List<Disposable> clients, int target,
            KafkaProducer<byte[], byte[]> producer, int events, double rate, int settleSeconds, ServiceJvm service) {
        long connectStart = System.nanoTime();
        while (clients.size() < target) {
            clients.add(connect(http.get(clients.size() % http.size())));
            if (clients.size() % 200 == 0) {
                Pause.millis(20);
            }
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (connected.sum() + failedConnections.sum() < target && System.nanoTime() < deadline) {
            Pause.millis(100);
        }
        double connectSeconds = Report.seconds(System.nanoTime() - connectStart);
        Pause.millis(settleSeconds * 1000L);
        LatencyHistogram histogram = new LatencyHistogram();
        SseEventSpread spread = new SseEventSpread(events, TARGET_MICROS);
        currentSpread = spread;
        current = histogram;
        long connectedNow = connected.sum();
        long intervalNanos = (long) (1e9 / rate);
        long sendStart = System.nanoTime();
        for (int i = 0; i < events; i++) {
            long due = sendStart + i * intervalNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Pause.millis(Math.max(1, wait / 1_000_000));
            }
            long sentAt = nowMicros();
            spread.sent(sentAt);
            send(producer, i, sentAt);
        }
        producer.flush();
        long expected = connectedNow * events;
        long drainDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (histogram.count() < expected && System.nanoTime() < drainDeadline) {
            Pause.millis(100);
        }
        Pause.millis(500);
        Map<String, Object> result = Report.map();
        result.put("clients", target);
        result.put("connected", connectedNow);
        result.put("failedConnections", failedConnections.sum());
        result.put("connectSeconds", connectSeconds);
        result.put("events", events);
        result.put("expectedReceipts", expected);
        result.put("receipts", histogram.count());
        result.put("lost", Math.max(0, expected - histogram.count()));
        result.put("p50Millis", Report.round(histogram.percentileMillis(50), 1));
        result.put("p90Millis", Report.round(histogram.percentileMillis(90), 1));
        result.put("p99Millis", Report.round(histogram.percentileMillis(99), 1));
        result.put("maxMillis", Report.round(histogram.maxMillis(), 1));
        result.put("meanMillis", Report.round(histogram.meanMillis(), 1));
        result.put("slowestReceiptPerEventMillis", spread.slowestMillis());
        result.put("receiptsOver100MillisPerEvent", spread.overTarget());
        result.put("serviceRssMb", Report.mb(service.residentBytes()));
        result.put("serviceFds", service.openFileDescriptors());
        result.put("loadAverage", loadAverage());
        System.err.println("step " + result);
        return result;
    }

    private Disposable connect(HttpClient http) {
        AtomicInteger status = new AtomicInteger();
        // receipt time: when the send time's closing quote is read, i.e. as soon as the chunk that ends it arrived
        SseSendTimes sendTimes = new SseSendTimes(sentAt -> {
            long latency = nowMicros() - sentAt;
            current.record(latency);
            currentSpread.received(sentAt, latency);
        });
        return http.get().uri("/api/v1/events/stream")
                .response((response, body) -> {
                    status.set(response.status().code());
                    if (status.get() == 200) {
                        connected.increment();
                    }
                    else {
                        failedConnections.increment();
                    }
                    // read in place on the event loop: the chunk is released after this returns
                    return body.doOnNext(sendTimes::read).then();
                })
                .subscribe(null, error -> {
                    if (status.get() == 0) {
                        failedConnections.increment();
                    }
                    else if (status.get() == 200) {
                        connected.decrement();
                    }
                });
    }

    /** The service's JVM options; {@code --service-jvm-args='…'} adds some (e.g. a flight recording). */
    private List<String> serviceJvm() {
        List<String> jvm = new ArrayList<>(List.of("-Xms" + option("heap", "1g"), "-Xmx" + option("heap", "1g"),
                "-XX:+ExitOnOutOfMemoryError"));
        Arrays.stream(option("service-jvm-args", "").trim().split("\\s+")).filter(arg -> !arg.isEmpty())
                .forEach(jvm::add);
        return jvm;
    }

    private static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000 + now.getNano() / 1000;
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, int index, long sentAt) {
        String conversation = UUID.nameUUIDFromBytes(("c" + (index % 64)).getBytes(StandardCharsets.UTF_8))
                .toString();
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("tenantId", TENANT);
        payload.put("conversationId", conversation);
        payload.put("sessionId", "00000000-0000-0000-0000-000000000001");
        payload.put("contactPhone", "+5491100000000");
        payload.put("contactName", "Bench");
        payload.put("status", "open");
        payload.put("assignedAgentId", null);
        payload.put("botEnabled", false);
        payload.put("unreadCount", 1);
        payload.put("lastMessageAt", Instant.now().toString());
        payload.put("lastMessagePreview", "t" + sentAt);
        payload.put("version", index + 1);
        payload.put("occurredAt", Instant.now().toString());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.CRM_CONVERSATION_EVENTS,
                conversation.getBytes(StandardCharsets.UTF_8), JSON.writeValueAsBytes(payload));
        header(record, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        header(record, CloudEventHeaders.ID, UUID.randomUUID().toString());
        header(record, CloudEventHeaders.TYPE, EventTypes.CONVERSATION_UPDATED);
        header(record, CloudEventHeaders.SOURCE, "/bench");
        header(record, CloudEventHeaders.TIME, Instant.now().toString());
        header(record, CloudEventHeaders.SUBJECT, conversation);
        header(record, CloudEventHeaders.TENANT_ID, TENANT);
        header(record, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        producer.send(record);
    }

    private static void header(ProducerRecord<byte[], byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, "1");
        config.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        return new KafkaProducer<>(config);
    }

    private Map<String, Object> serviceProperties(TestRedis.Database redis, String group) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", "r2dbc:postgresql://127.0.0.1:5432/" + DATABASE);
        properties.put("spring.r2dbc.username", "postgres");
        properties.put("spring.flyway.url", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE);
        properties.put("spring.flyway.user", "postgres");
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        properties.put("spring.data.redis.database", redis.index());
        properties.put("spring.cloud.stream.kafka.binder.brokers", TestKafka.bootstrapServers());
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        properties.put("spring.cloud.stream.kafka.binder.replication-factor", 1);
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.get().issuer());
        properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestJwts.get().jwksUri());
        // the SSE path alone: webhooks and alerts have their own consumers and are not measured here
        properties.put("spring.cloud.function.definition",
                "relayConversationEvents;relaySessionEvents;relayCampaignEvents");
        for (String binding : List.of("relayConversationEvents", "relaySessionEvents", "relayCampaignEvents")) {
            properties.put("spring.cloud.stream.bindings." + binding + "-in-0.group", group);
        }
        properties.put("conversa.notification.webhooks.secret-key", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");
        properties.put("management.otlp.metrics.export.enabled", false);
        properties.put("management.tracing.export.enabled", false);
        String extra = option("service-props", "");
        for (String pair : extra.split(";")) {
            if (pair.contains("=")) {
                properties.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return properties;
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
