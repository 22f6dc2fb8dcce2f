package dev.conversa.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.conversa.testsupport.TestKafka;

/**
 * Capacity of one session-service instance with linked sessions (issue "session-service #4"): N sessions created
 * and linked through the REST API and the simulator's phone, the time until all are connected, heap and RSS in
 * total and per session, then the failover of an instance holding them to a second instance.
 *
 * <p>Runs against a simulator started separately ({@code bench/sessions.sh} does that: each process holds one file
 * descriptor per connection). This JVM hosts the embedded Kafka broker and the test JWKS; each service instance is
 * a JVM of its own started from the executable jar with {@code -Xmx<heap>}, so its memory is measured apart from
 * everything else. Prints one JSON document and one {@code SUMMARY} line; asserts nothing.
 *
 * <p>Options: {@code --sessions=5000 --heap=1g --gc=G1 --lease-ttl=10s --kafka-session-timeout-ms=10000
 * --kafka-heartbeat-ms=2000 --restore-concurrency=128 --link-concurrency=256 --simulator=http://127.0.0.1:18091
 * --service-jar=… --work-dir=bench/target/sessions}.
 */
public final class SessionCapacityBenchmark {

    private static final String TENANT = "bench-tenant";
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);
    private static final Duration SETTLE = Duration.ofSeconds(5);
    private static final int HISTOGRAM_ROWS = 12;

    private final CapacitySettings settings;
    private final Map<String, Object> report = Report.map();

    private SessionCapacityBenchmark(CapacitySettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Exit.after(() -> new SessionCapacityBenchmark(CapacitySettings.from(options(args))).run());
    }

    private void run() throws Exception {
        report.put("benchmark", "session-capacity");
        report.put("startedAt", Instant.now().toString());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("settings", settingsMap());

        BenchServers servers = BenchServers.start();
        Map<String, Object> properties = servers.serviceProperties(settings);
        SimulatorPhone phone = new SimulatorPhone(settings.simulatorUrl(), settings.linkConcurrency() + 16);

        try (ServiceJvm a = start("a", properties)) {
            ServiceLog aLog = new ServiceLog(a.log());
            awaitAllPartitions(aLog);
            MemoryFigures baseline = MemoryFigures.measure(a);

            SessionsApi api = new SessionsApi(a.baseUrl(), TENANT, settings.linkConcurrency() + 16);
            SessionLinker.Result linking = new SessionLinker(api, phone, TestKafka.PARTITIONS)
                    .linkAll(settings.sessions(), settings.linkConcurrency());
            report.put("connect", linking.toMap(settings.sessions()));

            Pause.millis(SETTLE.toMillis());
            MemoryFigures loaded = MemoryFigures.measure(a);
            report.put("instanceA", instanceMap(a, baseline, loaded, linking.connected()));

            Failover.Result failover;
            try (ServiceJvm b = start("b", properties)) {
                long bReadyAt = System.nanoTime();
                ServiceLog bLog = new ServiceLog(b.log());
                failover = new Failover(phone, linking.sessions()).run(a, bLog, bReadyAt);
                Pause.millis(SETTLE.toMillis());
                MemoryFigures afterFailover = MemoryFigures.measure(b);
                long connectedOnB = new SessionsApi(b.baseUrl(), TENANT, 4).connected();
                Map<String, Object> failoverMap = failover.toMap();
                failoverMap.put("connectedPerStatsOnB", connectedOnB);
                failoverMap.put("logWarningsOnB", bLog.poll().warnings());
                failoverMap.put("logErrorsOnB", bLog.errors());
                report.put("failover", failoverMap);
                report.put("instanceB", instanceMap(b, baseline, afterFailover, connectedOnB));
            }
            report.put("logWarningsOnA", aLog.poll().warnings());
            report.put("logErrorsOnA", aLog.errors());
            print(linking.connected(), baseline, loaded, failover);
        }
    }

    private ServiceJvm start(String name, Map<String, Object> properties) throws Exception {
        List<String> jvm = List.of("-Xmx" + settings.heap(), settings.gcFlag(), "-XX:+ExitOnOutOfMemoryError",
                "-Dconversa.instance=" + name);
        Map<String, Object> instance = new LinkedHashMap<>(properties);
        instance.put("conversa.session.ownership.instance-id", "bench-" + name);
        Path log = settings.workDir().resolve("session-service-" + name + ".log");
        System.err.println("starting session-service " + name + " (log " + log + ")");
        return ServiceJvm.start(name, settings.serviceJar(), jvm, instance, log, READY_WITHIN);
    }

    /** Waits until the first instance owns all of {@code wa.commands}, so no create waits for a rebalance. */
    private static void awaitAllPartitions(ServiceLog log) {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (log.poll().assignedPartitions().size() < TestKafka.PARTITIONS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("instance a never got every partition: " + log.assignedPartitions());
            }
            Pause.millis(200);
        }
    }

    private Map<String, Object> instanceMap(ServiceJvm service, MemoryFigures baseline, MemoryFigures loaded,
            long sessions) throws Exception {
        Map<String, Object> map = Report.map();
        // B's baseline is A's: same jar and JVM settings, and B gets sessions as soon as it joins
        map.put("baseline", baseline.toMap());
        map.put("loaded", loaded.toMap());
        map.putAll(loaded.perSession(baseline, sessions));
        Path histogram = settings.workDir().resolve("histogram-" + service.name() + ".txt");
        map.put("histogramFile", histogram.toString());
        map.put("histogramTop", Jcmd.histogram(service.pid(), HISTOGRAM_ROWS, histogram).stream()
                .map(row -> row.className() + " " + Report.mb(row.bytes()) + " MB (" + row.instances() + ")")
                .toList());
        return map;
    }

    private Map<String, Object> settingsMap() {
        Map<String, Object> map = Report.map();
        map.put("sessions", settings.sessions());
        map.put("heapLimit", settings.heap());
        map.put("gc", settings.gc());
        map.put("leaseTtl", settings.leaseTtl());
        map.put("kafkaSessionTimeoutMs", settings.kafkaSessionTimeoutMs());
        map.put("kafkaHeartbeatMs", settings.kafkaHeartbeatMs());
        map.put("restoreConcurrency", settings.restoreConcurrency());
        map.put("linkConcurrency", settings.linkConcurrency());
        map.put("partitions", TestKafka.PARTITIONS);
        return map;
    }

    private void print(long connected, MemoryFigures baseline, MemoryFigures loaded, Failover.Result failover) {
        System.out.println(JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        @SuppressWarnings("unchecked")
        Map<String, Object> connect = (Map<String, Object>) report.get("connect");
        Map<String, Object> perSession = loaded.perSession(baseline, connected);
        System.out.printf("SUMMARY sessions=%d connect=%ss heapPerSession=%sKB heap=%sMB rss=%sMB failover=%ss "
                        + "(%d sessions, back %d) replacements=%d heapLimit=%s gc=%s%n",
                connected, connect.get("connectAllSeconds"), perSession.get("heapPerSessionKB"),
                Report.mb(loaded.heapBytes()), Report.mb(loaded.rssBytes()),
                Report.seconds(failover.killToAllBackNanos()), failover.onAAtKill(), failover.back(),
                failover.replacements(), settings.heap(), settings.gc());
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
}
