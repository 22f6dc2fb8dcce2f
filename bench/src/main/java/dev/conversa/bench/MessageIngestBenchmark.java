package dev.conversa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.conversa.events.Topics;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;

/**
 * Inbound ingest of message-service (issue "message-service #5"): {@code conversa.message.received.v1} events pushed
 * to {@code wa.message.inbound} at increasing rates; for each, the rate the service stores them at, the consumer
 * lag, and the time to drain; next to the raw batched-insert rate of the same PostgreSQL measured in the same run
 * ({@link IngestRawInsert}).
 *
 * <p>This JVM hosts the embedded KRaft broker ({@link TestKafka}, 12 partitions) and the producer; message-service
 * runs in a JVM of its own from its executable jar against database {@value #DATABASE} (dropped and created per
 * run). Prints one JSON document and one {@code SUMMARY} line; asserts nothing. Options: see {@link IngestSettings}
 * and {@code bench/message-ingest.sh}.
 */
public final class MessageIngestBenchmark {

    static final String DATABASE = "conversa_ingest_bench";
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);
    private static final long TIMELINE_MILLIS = 1000;
    private static final long ACTIVITY_MILLIS = 50;

    private final IngestSettings settings;
    private final Map<String, Object> report = Report.map();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long sent;
    private boolean dumpsTaken;

    private MessageIngestBenchmark(IngestSettings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Exit.after(() -> new MessageIngestBenchmark(IngestSettings.from(options(args))).run());
    }

    private void run() throws Exception {
        report.put("benchmark", "message-ingest");
        report.put("startedAt", Instant.now().toString());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("loadAverageBefore", loadAverage());
        report.put("settings", settingsMap());

        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                "postgres", ""); Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + DATABASE);
        }
        TestKafka.broker();
        Files.createDirectories(settings.workDir());
        Path log = settings.workDir().resolve("message-service.log");
        System.err.println("starting message-service (log " + log + ")");
        long startAt = System.nanoTime();
        try (ServiceJvm service = ServiceJvm.start("message-service", settings.serviceJar(), jvmArgs(),
                serviceProperties(), log, READY_WITHIN)) {
            long readyAt = System.nanoTime();
            TestKafka.awaitAssignment(IngestProbe.GROUP, Topics.WA_MESSAGE_INBOUND, READY_WITHIN);
            Map<String, Object> startup = Report.map();
            startup.put("readySeconds", Report.seconds(readyAt - startAt));
            startup.put("allPartitionsAssignedSeconds", Report.seconds(System.nanoTime() - startAt));
            report.put("serviceStartup", startup);
            try (IngestProbe probe = new IngestProbe(DATABASE, log);
                    KafkaProducer<byte[], byte[]> producer = producer()) {
                System.err.println("raw insert: " + settings.rawRows() + " rows");
                Map<String, Object> rawBefore = IngestRawInsert.measure(probe.jdbc(), DATABASE, settings.rawRows(),
                        settings.batchSize(), settings);
                report.put("rawInsert", rawBefore);
                IngestEvents events = new IngestEvents(settings.conversations(), settings.sessions(),
                        settings.tenants(), 42);
                report.put("meanRecordValueBytes", Report.round(events.meanValueBytes(), 0));
                if (settings.warmupSeconds() > 0) {
                    System.err.println("warm-up: 1000/s for " + settings.warmupSeconds() + " s");
                    Map<String, Object> warmup = step(1000, settings.warmupSeconds(), events, producer, probe,
                            service, false);
                    report.put("warmup", Map.of("storedRows", warmup.get("storedRows"),
                            "drained", warmup.get("drained")));
                }
                List<Map<String, Object>> steps = new ArrayList<>();
                report.put("steps", steps);
                List<Integer> skipped = new ArrayList<>();
                for (int i = 0; i < settings.rates().size(); i++) {
                    int rate = settings.rates().get(i);
                    System.err.println("step: " + rate + "/s for " + settings.seconds() + " s");
                    Map<String, Object> step = step(rate, settings.seconds(), events, producer, probe, service,
                            true);
                    steps.add(step);
                    System.err.println("  " + step.get("achievedProduceRate") + "/s produced, "
                            + step.get("storedRateWhileProducing") + "/s stored while producing, lag at end "
                            + step.get("lagRecordsAtEndOfProduce") + ", drain " + step.get("drainSeconds") + " s");
                    boolean saturated = Boolean.TRUE.equals(step.get("saturated"));
                    if (!Boolean.TRUE.equals(step.get("drained"))
                            || (saturated && !settings.continueAfterSaturation())) {
                        skipped.addAll(settings.rates().subList(i + 1, settings.rates().size()));
                        break;
                    }
                }
                report.put("skippedRates(above the first saturated one)", skipped);
                System.err.println("raw insert again");
                report.put("rawInsertAfter", IngestRawInsert.measure(probe.jdbc(), DATABASE, settings.rawRows(),
                        settings.batchSize(), settings));
                report.put("exactness", exactness(probe));
                report.put("result", result(steps));
                long[] logCounts = probe.warningsAndErrors();
                report.put("serviceLogWarnings", logCounts[0]);
                report.put("serviceLogErrors", logCounts[1]);
                report.put("serviceLogFirstWarnings", probe.firstLinesContaining(" WARN ", 5));
            }
        }
        report.put("loadAverageAfter", loadAverage());
        print();
    }

    /** Produces {@code rate}/s for {@code seconds}, then waits for the service to store everything. */
    private Map<String, Object> step(int rate, int seconds, IngestEvents events,
            KafkaProducer<byte[], byte[]> producer, IngestProbe probe, ServiceJvm service, boolean reported)
            throws Exception {
        long rowsBefore = probe.rows();
        long ackedBefore = acked.get();
        probe.batchLines();
        IngestProbe.StoredCounter stored = probe.storedCounter();
        Sampler sampler = new Sampler(probe, probe.storedCounter(), ackedBefore);
        IngestCpu cpuStart = IngestCpu.snapshot(service.pid());
        sampler.start();

        long total = (long) rate * seconds;
        long start = System.nanoTime();
        long stepSent = 0;
        while (stepSent < total) {
            long due = Math.min(total, (System.nanoTime() - start) * rate / 1_000_000_000L + 1);
            while (stepSent < due) {
                producer.send(events.record(events.next()), (metadata, error) -> {
                    if (error == null) {
                        acked.incrementAndGet();
                    }
                    else {
                        failed.incrementAndGet();
                    }
                });
                stepSent++;
            }
            LockSupport.parkNanos(200_000);
        }
        long loopEnd = System.nanoTime();
        producer.flush();
        long produceEnd = System.nanoTime();
        sent += stepSent;
        long stepAcked = acked.get() - ackedBefore;
        long rowsAtEnd = probe.rows();
        long lagAtEnd = probe.lag(Topics.WA_MESSAGE_INBOUND);
        IngestCpu cpuProduceEnd = IngestCpu.snapshot(service.pid());
        sampler.phase = "drain";
        long expected = rowsBefore + stepAcked;
        long backlogAtEnd = expected - rowsAtEnd;
        double produceSeconds = (produceEnd - start) / 1e9;
        boolean saturated = backlogAtEnd > Math.max(2L * settings.batchSize(), rate);

        Map<String, Object> dumps = null;
        if (reported && saturated && !dumpsTaken && settings.threadDumps() > 0) {
            dumpsTaken = true;
            dumps = IngestThreadDumps.take(service.pid(), settings.threadDumps(), 1000, settings.workDir(),
                    "rate-" + rate);
        }
        long deadline = produceEnd + settings.drainTimeout().toNanos();
        // followed by the service's per-batch lines (written after each commit) every 50 ms, not by a count(*) of the
        // growing table every 100 ms, which took a fifth of a PostgreSQL core from the service it measures; then
        // the rows are counted once (and again while fewer than expected: the lines would have been wrong)
        while (stored.stored() < stepAcked && System.nanoTime() < deadline) {
            Pause.millis(50);
        }
        long drainedAt = System.nanoTime();
        long rows = probe.rows();
        while (rows < expected && System.nanoTime() < deadline) {
            Pause.millis(100);
            rows = probe.rows();
            drainedAt = System.nanoTime();
        }
        boolean drained = rows >= expected;
        IngestCpu cpuEnd = IngestCpu.snapshot(service.pid());
        sampler.stop();
        long[] batches = probe.batchLines();

        double drainSeconds = (drainedAt - produceEnd) / 1e9;
        Map<String, Object> map = Report.map();
        map.put("targetRate", rate);
        map.put("seconds", seconds);
        map.put("produced", stepAcked);
        map.put("produceFailures", stepSent - stepAcked);
        map.put("achievedProduceRate", Math.round(stepAcked / produceSeconds));
        map.put("sendLoopSeconds", Report.seconds(loopEnd - start));
        map.put("storedRowsAtEndOfProduce", rowsAtEnd - rowsBefore);
        map.put("storedRateWhileProducing", Math.round((rowsAtEnd - rowsBefore) / produceSeconds));
        map.put("backlogRowsAtEndOfProduce", backlogAtEnd);
        map.put("lagRecordsAtEndOfProduce", lagAtEnd);
        map.put("lagRecordsMax", sampler.maxLag);
        map.put("lagRecordsMaxWhileProducing", sampler.maxLagProducing);
        map.put("saturated", saturated);
        map.put("drained", drained);
        map.put("drainSeconds", Report.round(drainSeconds, 2));
        map.put("drainRate", backlogAtEnd < settings.batchSize() || drainSeconds <= 0 ? null
                : Math.round((rows - rowsAtEnd) / drainSeconds));
        map.put("storedRows", rows - rowsBefore);
        map.put("storedRateOverall", Math.round((rows - rowsBefore) / ((drainedAt - start) / 1e9)));
        Map<String, Object> batchMap = Report.map();
        batchMap.put("batches", batches[0]);
        batchMap.put("meanMessagesPerBatch", batches[0] == 0 ? 0 : Report.round((batches[1] + batches[2])
                / (double) batches[0], 1));
        batchMap.put("meanConversationsOpenedPerBatch", batches[0] == 0 ? 0
                : Report.round(batches[3] / (double) batches[0], 1));
        batchMap.put("meanConversationsUpdatedPerBatch", batches[0] == 0 ? 0
                : Report.round(batches[4] / (double) batches[0], 1));
        batchMap.put("eventsPublishedPerBatch", batches[0] == 0 ? 0
                : Report.round((batches[1] + batches[2] + batches[3] + batches[4]) / (double) batches[0], 1));
        batchMap.put("msPerBatch", batches[0] == 0 ? 0
                : Report.round((drainedAt - start) / 1e6 / batches[0], 1));
        map.put("serviceBatches(from its log)", batchMap);
        map.put("cpuCoresWhileProducing", cpuProduceEnd.coresSince(cpuStart));
        map.put("cpuCoresWhileDraining", drainSeconds < 1 ? null : cpuEnd.coresSince(cpuProduceEnd));
        map.put("serviceDbConnections", sampler.activityMap());
        if (dumps != null) {
            map.put("threadDumpsWhileDraining", dumps);
        }
        Path timeline = settings.workDir().resolve("timeline-" + (reported ? rate : "warmup") + ".csv");
        Files.writeString(timeline, sampler.csv());
        map.put("timelineFile", timeline.toString());
        Pause.millis(2000);
        return map;
    }

    private Map<String, Object> exactness(IngestProbe probe) {
        Map<String, Object> map = Report.map();
        long rows = probe.rows();
        long distinct = probe.queryLong("SELECT count(*) FROM (SELECT DISTINCT session_id, wa_message_id "
                + "FROM message.messages) d");
        map.put("eventsProduced", acked.get());
        map.put("produceFailures", failed.get());
        map.put("rowsInMessages", rows);
        map.put("distinctSessionWaMessageIds", distinct);
        map.put("duplicates", rows - distinct);
        map.put("missing", acked.get() - distinct);
        map.put("inboundTopicRecords", probe.records(Topics.WA_MESSAGE_INBOUND));
        map.put("deadLetters", probe.records(Topics.dlq(Topics.WA_MESSAGE_INBOUND)));
        map.put("conversations", probe.queryLong("SELECT count(*) FROM message.conversations"));
        map.put("unreadTotal", probe.queryLong("SELECT coalesce(sum(unread_count), 0) FROM message.conversations"));
        map.put("crmConversationEventsPublished", probe.records(Topics.CRM_CONVERSATION_EVENTS));
        map.put("exact", rows == acked.get() && rows == distinct);
        return map;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> result(List<Map<String, Object>> steps) {
        long keptUp = 0;
        Long saturationRate = null;
        Integer saturatedAt = null;
        for (Map<String, Object> step : steps) {
            if (Boolean.TRUE.equals(step.get("saturated"))) {
                if (saturatedAt == null) {
                    saturatedAt = (Integer) step.get("targetRate");
                    Object drain = step.get("drainRate");
                    saturationRate = drain != null ? (Long) drain : (Long) step.get("storedRateOverall");
                }
            }
            else if (saturatedAt == null) {
                keptUp = Math.max(keptUp, (Long) step.get("achievedProduceRate"));
            }
        }
        long raw = Math.max(((Number) ((Map<String, Object>) report.get("rawInsert")).get("rowsPerSecond"))
                .longValue(), ((Number) ((Map<String, Object>) report.get("rawInsertAfter")).get("rowsPerSecond"))
                .longValue());
        long sustained = saturationRate != null ? saturationRate : keptUp;
        Map<String, Object> map = Report.map();
        map.put("highestRateKeptUp", keptUp);
        map.put("firstSaturatedTargetRate", saturatedAt);
        map.put("drainThroughputAtSaturation", saturationRate);
        map.put("sustainedStoreRate", sustained);
        map.put("sustainedIsLowerBound", saturationRate == null);
        map.put("rawInsertRate(best of before/after)", raw);
        map.put("ratio", Report.round(sustained / (double) raw, 3));
        map.put("target", 0.5);
        return map;
    }

    private void print() {
        System.out.println(JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) report.get("result");
        @SuppressWarnings("unchecked")
        Map<String, Object> exact = (Map<String, Object>) report.get("exactness");
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> steps = (List<Map<String, Object>>) report.get("steps");
        StringBuilder perRate = new StringBuilder();
        for (Map<String, Object> step : steps) {
            perRate.append(perRate.isEmpty() ? "" : ",").append(step.get("targetRate")).append(':')
                    .append(step.get("storedRateWhileProducing")).append("/lag")
                    .append(step.get("lagRecordsAtEndOfProduce"));
        }
        System.out.printf("SUMMARY sustainedStore=%s/s%s raw=%s/s ratio=%s (target 0.5) saturatedAt=%s "
                        + "drainRate=%s/s steps=[%s] rows=%s produced=%s duplicates=%s missing=%s exact=%s "
                        + "batch=%d cores=%s load=%s→%s%n",
                result.get("sustainedStoreRate"), Boolean.TRUE.equals(result.get("sustainedIsLowerBound")) ? "(≥)"
                        : "", result.get("rawInsertRate(best of before/after)"), result.get("ratio"),
                result.get("firstSaturatedTargetRate"), result.get("drainThroughputAtSaturation"), perRate,
                exact.get("rowsInMessages"), exact.get("eventsProduced"), exact.get("duplicates"),
                exact.get("missing"), exact.get("exact"), settings.batchSize(), report.get("cores"),
                report.get("loadAverageBefore"), report.get("loadAverageAfter"));
    }

    private KafkaProducer<byte[], byte[]> producer() {
        Map<String, Object> config = new LinkedHashMap<>();
        config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers());
        config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
        config.put(ProducerConfig.ACKS_CONFIG, settings.acks());
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "all".equals(settings.acks()));
        config.put(ProducerConfig.LINGER_MS_CONFIG, settings.lingerMs());
        config.put(ProducerConfig.BATCH_SIZE_CONFIG, settings.batchBytes());
        config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L << 20);
        config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none");
        return new KafkaProducer<>(config);
    }

    private List<String> jvmArgs() {
        List<String> args = new ArrayList<>(List.of("-Xmx" + settings.heap(), "-Xms" + settings.heap(),
                settings.gcFlag(), "-XX:+ExitOnOutOfMemoryError"));
        args.addAll(settings.serviceJvmArgs());
        return args;
    }

    private Map<String, Object> serviceProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", "r2dbc:postgresql://127.0.0.1:5432/" + DATABASE);
        properties.put("spring.r2dbc.username", "postgres");
        properties.put("spring.flyway.url", "jdbc:postgresql://127.0.0.1:5432/" + DATABASE);
        properties.put("spring.flyway.user", "postgres");
        properties.put("spring.cloud.stream.kafka.binder.brokers", TestKafka.bootstrapServers());
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        properties.put("spring.cloud.stream.kafka.binder.replication-factor", 1);
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.get().issuer());
        properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestJwts.get().jwksUri());
        properties.put("conversa.message.ingest.batch-size", settings.batchSize());
        properties.put("conversa.message.ingest.max-wait", settings.maxWait());
        properties.put("conversa.message.archive.cron", "-");
        // required by message-service (media links); a fresh one per run
        properties.put("conversa.media.signing-key", UUID.randomUUID() + "-" + UUID.randomUUID());
        properties.put("management.otlp.metrics.export.enabled", false);
        properties.put("management.tracing.export.enabled", false);
        properties.putAll(settings.serviceProperties());
        return properties;
    }

    private Map<String, Object> settingsMap() {
        Map<String, Object> map = Report.map();
        map.put("rates", settings.rates());
        map.put("secondsPerRate", settings.seconds());
        map.put("conversations", settings.conversations());
        map.put("sessions", settings.sessions());
        map.put("tenants", settings.tenants());
        map.put("partitions", TestKafka.PARTITIONS);
        map.put("serviceBatchSize", settings.batchSize());
        map.put("serviceMaxWait", settings.maxWait());
        map.put("serviceJvm", String.join(" ", jvmArgs()));
        map.put("serviceExtraProperties", settings.serviceProperties());
        map.put("producer", "acks=" + settings.acks() + " linger.ms=" + settings.lingerMs() + " batch.size="
                + settings.batchBytes() + " compression=none, one KafkaProducer in the benchmark JVM (with the broker)");
        map.put("rawRows", settings.rawRows());
        map.put("warmupSeconds", settings.warmupSeconds());
        map.put("drainTimeoutSeconds", settings.drainTimeout().toSeconds());
        map.put("saturatedWhen", "rows not yet stored at the end of producing > max(2 × batch, 1 s of the rate)");
        return map;
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

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        return options;
    }

    /**
     * Samples during a step: every second the rows stored, the Kafka lag and the events acknowledged so far (the
     * timeline CSV); every 50 ms what the service's database connections do.
     */
    private final class Sampler {

        private final IngestProbe probe;
        private final IngestProbe.StoredCounter stored;
        private final long ackedBefore;
        private final StringBuilder csv = new StringBuilder("seconds,phase,produced,storedRows,backlogRows,lag\n");
        private final Map<String, long[]> activity = new LinkedHashMap<>();
        private volatile String phase = "produce";
        private volatile boolean running = true;
        private long maxLag;
        private long maxLagProducing;
        private Thread timeline;
        private Thread connections;
        private long start;

        Sampler(IngestProbe probe, IngestProbe.StoredCounter stored, long ackedBefore) {
            this.probe = probe;
            this.stored = stored;
            this.ackedBefore = ackedBefore;
        }

        void start() {
            start = System.nanoTime();
            timeline = Thread.ofPlatform().daemon().name("ingest-timeline").start(() -> {
                while (running) {
                    long produced = acked.get() - ackedBefore;
                    // as the service reports them (its per-batch lines): no count(*) of the table every second
                    long rows = stored.stored();
                    long lag = probe.lag(Topics.WA_MESSAGE_INBOUND);
                    synchronized (this) {
                        maxLag = Math.max(maxLag, lag);
                        if ("produce".equals(phase)) {
                            maxLagProducing = Math.max(maxLagProducing, lag);
                        }
                        csv.append(Report.seconds(System.nanoTime() - start)).append(',').append(phase).append(',')
                                .append(produced).append(',').append(rows).append(',').append(produced - rows)
                                .append(',').append(lag).append('\n');
                    }
                    Pause.millis(TIMELINE_MILLIS);
                }
            });
            connections = Thread.ofPlatform().daemon().name("ingest-activity").start(() -> {
                while (running) {
                    int[] states = probe.connectionStates();
                    synchronized (this) {
                        // samples, with a statement running, in a transaction between statements, neither
                        long[] counts = activity.computeIfAbsent(phase, p -> new long[4]);
                        counts[0]++;
                        if (states[0] > 0) {
                            counts[1]++;
                        }
                        else if (states[1] > 0) {
                            counts[2]++;
                        }
                        else {
                            counts[3]++;
                        }
                    }
                    Pause.millis(ACTIVITY_MILLIS);
                }
            });
        }

        void stop() throws InterruptedException {
            running = false;
            timeline.join();
            connections.join();
        }

        synchronized String csv() {
            return csv.toString();
        }

        synchronized Map<String, Object> activityMap() {
            Map<String, Object> map = Report.map();
            map.put("how", "pg_stat_activity of the service's connections every 50 ms: share of samples with a "
                    + "statement running / inside a transaction between statements / no transaction open");
            activity.forEach((name, counts) -> {
                Map<String, Object> one = Report.map();
                one.put("samples", counts[0]);
                one.put("statementRunningPercent", Report.round(100.0 * counts[1] / counts[0], 1));
                one.put("inTransactionBetweenStatementsPercent", Report.round(100.0 * counts[2] / counts[0], 1));
                one.put("noTransactionPercent", Report.round(100.0 * counts[3] / counts[0], 1));
                map.put(name, one);
            });
            return map;
        }
    }
}
