package dev.conversa.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.springframework.messaging.Message;

import dev.conversa.events.EventTypes;
import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.cloudevents.EventMetadata;
import dev.conversa.events.conversation.ConversationChanged;
import dev.conversa.events.conversation.ConversationStatus;
import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;

/**
 * distribution-service's assignment rate: {@code agents} online agents across {@code tenants} (capacities 10, 20 … 50
 * in turn), {@code conversa.conversation.opened.v1} produced at increasing rates for {@code seconds} each while the
 * conversation opened {@code inFlight} earlier is closed (so slots keep freeing, like a live inbox); after each stage
 * the benchmark waits until every opened conversation is routed and none waits while a slot is free.
 *
 * <p>Sampling is kept light, so that it does not take the CPU it measures (PostgreSQL, the service and this JVM share
 * the machine): capacity is checked every {@code sample-millis} (250) from the agents' counters (an agent with
 * {@code active > max_concurrent}; 200 rows) and every eighth sample from the conversation rows (an agent with more
 * assigned conversations than its capacity: a partial-index scan of the assigned rows, never of the whole table);
 * the backlog is the consumer group's lag on the broker. A stage is routed when, for every partition and tenant, the
 * last conversation opened exists in the table (polled every 100 ms; one primary-key lookup each: the service handles a partition's
 * records in order and a tenant's part of a batch in one transaction), and no conversation waits while an agent has
 * room. Whole-table counts (assigned, routed) run once per stage, after it. At the end: the spread of load, per tenant
 * and capacity, as max − min of the conversations each agent received over the run, and of the active ones at the
 * end of a final fill without closes. Prints JSON and a SUMMARY line; asserts nothing.
 *
 * <p>Options: --service-jar --work-dir [--agents=200] [--tenants=2] [--rates=1000,2000,4000,8000] [--seconds=10]
 * [--in-flight=2000] [--heap=512m] [--batch-size=500] [--tenant-concurrency=4] [--sample-millis=250]
 * [--service-jvm-args='…']
 */
public final class DistributionBenchmark {

    static final String DATABASE = "conversa_distribution_bench";
    private static final String JDBC = "jdbc:postgresql://127.0.0.1:5432/" + DATABASE;

    private final Map<String, String> options;
    private final Map<String, Object> report = Report.map();
    private final CloudEventCodec codec = new CloudEventCodec();
    private final int agents;
    private final int tenants;
    private final int seconds;
    private final int inFlight;
    private final List<Integer> rates;
    private final ArrayDeque<Object[]> open = new ArrayDeque<>();
    private final List<UUID> sessions = new ArrayList<>();
    /** Per partition and tenant, the offset and id of the last conversation opened in the stage. */
    private final Map<String, Object[]> lastOpened = new ConcurrentHashMap<>();
    private final long sampleNanos;
    private Admin admin;
    private long samples;
    private int capacityViolations;
    private int counterViolations;

    private DistributionBenchmark(Map<String, String> options) {
        this.options = options;
        this.agents = Integer.parseInt(options.getOrDefault("agents", "200"));
        this.tenants = Integer.parseInt(options.getOrDefault("tenants", "2"));
        this.seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        this.inFlight = Integer.parseInt(options.getOrDefault("in-flight", "2000"));
        this.rates = Arrays.stream(options.getOrDefault("rates", "1000,2000,4000,8000").split(","))
                .map(String::strip).map(Integer::parseInt).toList();
        this.sampleNanos = Long.parseLong(options.getOrDefault("sample-millis", "250")) * 1_000_000L;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            if (arg.startsWith("--") && arg.contains("=")) {
                options.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
            }
        }
        Exit.after(() -> new DistributionBenchmark(options).run());
    }

    private void run() throws Exception {
        report.put("benchmark", "distribution");
        report.put("startedAt", Instant.now().toString());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("loadAverageBefore", ProcessCpu.loadAverage());
        report.put("settings", new LinkedHashMap<>(Map.of("agents", agents, "tenants", tenants, "rates", rates,
                "secondsPerRate", seconds, "inFlight", inFlight, "batchSize", options.getOrDefault("batch-size", "500"),
                "tenantConcurrency", options.getOrDefault("tenant-concurrency", "4"),
                "sampleMillis", sampleNanos / 1_000_000)));
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                "postgres", ""); Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + DATABASE);
        }
        TestKafka.broker();
        Path work = Path.of(options.getOrDefault("work-dir", "bench/target/distribution"));
        Files.createDirectories(work);
        Path log = work.resolve("distribution-service.log");
        System.err.println("starting distribution-service (log " + log + ")");
        String heap = options.getOrDefault("heap", "512m");
        List<String> jvm = new ArrayList<>(List.of("-Xmx" + heap, "-Xms" + heap, "-XX:+UseParallelGC"));
        // e.g. --service-jvm-args='-XX:StartFlightRecording=filename=d.jfr,settings=profile' to profile the service
        Arrays.stream(options.getOrDefault("service-jvm-args", "").trim().split("\\s+"))
                .filter(arg -> !arg.isEmpty()).forEach(jvm::add);
        try (ServiceJvm service = ServiceJvm.start("distribution-service", Path.of(options.get("service-jar")),
                jvm, serviceProperties(), log,
                Duration.ofMinutes(3));
                Connection db = DriverManager.getConnection(JDBC, "postgres", "");
                KafkaProducer<byte[], byte[]> producer = producer();
                Admin kafkaAdmin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                        TestKafka.bootstrapServers()))) {
            admin = kafkaAdmin;
            TestKafka.awaitAssignment("distribution-service", Topics.CRM_CONVERSATION_EVENTS, Duration.ofMinutes(2));
            createAgents(db);
            List<Map<String, Object>> stages = new ArrayList<>();
            double best = 0;
            for (int rate : rates) {
                Map<String, Object> stage = stage(db, producer, service, rate, true);
                stages.add(stage);
                best = Math.max(best, (double) stage.get("sustainedAssignmentsPerSecond"));
                System.err.println("stage " + stage);
            }
            report.put("stages", stages);
            report.put("spreadOfReceivedPerTenantAndCapacity", spread(db, """
                    SELECT a.tenant_id, a.max_concurrent, a.user_id, count(c.conversation_id) AS n
                      FROM distribution.agents a LEFT JOIN distribution.conversations c
                        ON c.tenant_id = a.tenant_id AND coalesce(c.agent_id, c.previous_agent_id) = a.user_id
                     GROUP BY 1, 2, 3"""));
            // final fill: close everything, then open more than the total capacity without closing
            closeAll(producer, db);
            Map<String, Object> fill = stage(db, producer, service, rates.getFirst(), false);
            report.put("fillWithoutCloses", fill);
            Map<String, Object> activeSpread = spread(db, """
                    SELECT tenant_id, max_concurrent, user_id, active AS n FROM distribution.agents""");
            report.put("spreadOfActiveAfterFill", activeSpread);
            report.put("agentsAtCapacityAfterFill", queryLong(db,
                    "SELECT count(*) FROM distribution.agents WHERE active = max_concurrent"));
            sample(db);
            report.put("capacitySamples", samples);
            report.put("capacityViolationsSeen", capacityViolations);
            report.put("counterViolationsSeen", counterViolations);
            report.put("counterMismatchesAtEnd", queryLong(db, """
                    SELECT count(*) FROM distribution.agents a WHERE active <> (SELECT count(*)
                      FROM distribution.conversations c WHERE c.tenant_id = a.tenant_id AND c.agent_id = a.user_id
                       AND c.state = 'assigned')"""));
            report.put("loadAverageAfter", ProcessCpu.loadAverage());
            System.out.println(JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
            System.out.printf("SUMMARY bestSustainedAssignments=%.0f/s (target 2000) spreadReceived=%s "
                            + "spreadActiveAfterFill=%s (target <= 1) capacityViolations=%d counterViolations=%d "
                            + "agents=%d tenants=%d load=%s -> %s%n", best,
                    report.get("spreadOfReceivedPerTenantAndCapacity") instanceof Map<?, ?> m ? m.get("max") : "?",
                    activeSpread.get("max"), capacityViolations, counterViolations, agents, tenants,
                    report.get("loadAverageBefore"), report.get("loadAverageAfter"));
        }
    }

    private Map<String, Object> serviceProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", "r2dbc:postgresql://127.0.0.1:5432/" + DATABASE);
        properties.put("spring.r2dbc.username", "postgres");
        properties.put("spring.flyway.url", JDBC);
        properties.put("spring.flyway.user", "postgres");
        properties.put("spring.cloud.stream.kafka.binder.brokers", TestKafka.bootstrapServers());
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        properties.put("spring.cloud.stream.kafka.binder.replication-factor", 1);
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.get().issuer());
        properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestJwts.get().jwksUri());
        properties.put("conversa.distribution.batch-size", options.getOrDefault("batch-size", "500"));
        properties.put("conversa.distribution.tenant-concurrency", options.getOrDefault("tenant-concurrency", "4"));
        properties.put("conversa.distribution.bot-timeout-cron", "-");
        properties.put("management.otlp.metrics.export.enabled", false);
        properties.put("management.tracing.export.enabled", false);
        return properties;
    }

    private void createAgents(Connection db) throws Exception {
        try (PreparedStatement insert = db.prepareStatement("""
                INSERT INTO distribution.agents (tenant_id, user_id, display_name, status, max_concurrent)
                VALUES (?, ?, ?, 'online', ?)""")) {
            for (int i = 0; i < agents; i++) {
                String user = "agent-%04d".formatted(i);
                insert.setString(1, tenant(i % tenants));
                insert.setString(2, user);
                insert.setString(3, user);
                insert.setInt(4, 10 + (i / tenants % 5) * 10);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        for (int t = 0; t < tenants; t++) {
            sessions.add(UUID.randomUUID());
        }
        report.put("totalCapacity", queryLong(db, "SELECT sum(max_concurrent) FROM distribution.agents"));
    }

    private static String tenant(int index) {
        return "bench-tenant-" + index;
    }

    /** One rate: opened at {@code rate}/s for {@code seconds}, closing the oldest beyond inFlight; then the drain. */
    private Map<String, Object> stage(Connection db, KafkaProducer<byte[], byte[]> producer, ServiceJvm service,
            int rate, boolean close) throws Exception {
        long assignedBefore = assignedEver(db);
        long rowsBefore = rows(db);
        lastOpened.clear();
        int total = rate * seconds;
        long[] cpuBefore = cpuTicks(db, service);
        long start = System.nanoTime();
        long nextSample = start;
        int sent = 0;
        long peakLag = 0;
        while (sent < total) {
            long due = Math.min(total, (long) ((System.nanoTime() - start) / 1e9 * rate) + 1);
            while (sent < due) {
                int t = sent % tenants;
                UUID id = UUID.randomUUID();
                send(producer, EventTypes.CONVERSATION_OPENED, tenant(t), id, sessions.get(t), ConversationStatus.OPEN);
                open.addLast(new Object[] {tenant(t), id, sessions.get(t)});
                if (close && open.size() > inFlight) {
                    Object[] old = open.removeFirst();
                    send(producer, EventTypes.CONVERSATION_CLOSED, (String) old[0], (UUID) old[1], (UUID) old[2],
                            ConversationStatus.CLOSED);
                }
                sent++;
            }
            if (System.nanoTime() >= nextSample) {
                if (sample(db)) {
                    peakLag = Math.max(peakLag, consumerLag());
                }
                nextSample = System.nanoTime() + sampleNanos;
            }
            Thread.sleep(2);
        }
        producer.flush();
        long sendEnd = System.nanoTime();
        // done when every opened conversation of the stage is routed and none waits while a slot is free
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        nextSample = System.nanoTime() + sampleNanos;
        while (System.nanoTime() < deadline && !(lastOpenedRouted(db) && queryLong(db, """
                SELECT count(*) FROM distribution.conversations WHERE state = 'waiting'
                   AND EXISTS (SELECT 1 FROM distribution.agents WHERE active < max_concurrent)""") == 0)) {
            Thread.sleep(100);
            if (System.nanoTime() >= nextSample) {
                sample(db);
                nextSample = System.nanoTime() + sampleNanos;
            }
        }
        long end = System.nanoTime();
        long[] cpuAfter = cpuTicks(db, service);
        sample(db);
        long assigned = assignedEver(db) - assignedBefore;
        long routed = rows(db) - rowsBefore;
        Map<String, Object> map = Report.map();
        map.put("rate", rate);
        map.put("opened", total);
        map.put("routed", routed);
        map.put("closesSent", close);
        map.put("assigned", assigned);
        map.put("sendSeconds", Report.seconds(sendEnd - start));
        map.put("drainSeconds", Report.seconds(end - sendEnd));
        map.put("sustainedAssignmentsPerSecond", Report.round(assigned / ((end - start) / 1e9), 0));
        map.put("routedPerSecond", Report.round(routed / ((end - start) / 1e9), 0));
        map.put("closedWhileWaiting", total - assigned - queryLong(db,
                "SELECT count(*) FROM distribution.conversations WHERE state = 'waiting'"));
        map.put("peakConsumerLagRecords", peakLag);
        map.put("waitingAtEnd", queryLong(db, "SELECT count(*) FROM distribution.conversations WHERE state = 'waiting'"));
        // CPU seconds used during the stage (send + drain), by process: what bounds the rate on a shared machine
        Map<String, Object> cpu = Report.map();
        String[] names = {"service", "postgresForService", "postgresForSampling", "benchmarkJvm"};
        double all = 0;
        for (int i = 0; i < names.length; i++) {
            double seconds = (cpuAfter[i] - cpuBefore[i]) / 100.0;
            cpu.put(names[i], Report.round(seconds, 1));
            all += seconds;
        }
        cpu.put("total", Report.round(all, 1));
        cpu.put("wallSeconds", Report.seconds(end - start));
        cpu.put("serviceAndPostgresMillisPerAssignment", assigned == 0 ? 0 : Report.round(
                ((cpuAfter[0] - cpuBefore[0]) + (cpuAfter[1] - cpuBefore[1])) * 10.0 / assigned, 3));
        map.put("cpuSeconds", cpu);
        return map;
    }

    /**
     * Cumulative CPU ticks (1/100 s: utime + stime of {@code /proc/<pid>/stat}) of the service JVM, the PostgreSQL
     * backends of the benchmark database other than this connection's, this connection's backend, and this JVM.
     */
    private static long[] cpuTicks(Connection db, ServiceJvm service) throws Exception {
        long own = queryLong(db, "SELECT pg_backend_pid()");
        long backends = 0;
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")) {
            while (rows.next()) {
                backends += ProcessCpu.ticks(rows.getLong(1));
            }
        }
        return new long[] {ProcessCpu.ticks(service.pid()), backends, ProcessCpu.ticks(own),
                ProcessCpu.ticks(ProcessHandle.current().pid())};
    }

    /** Whether the last conversation opened on each partition for each tenant is in the table (so all before it). */
    private boolean lastOpenedRouted(Connection db) throws Exception {
        UUID[] ids = lastOpened.values().stream().map(last -> (UUID) last[1]).toArray(UUID[]::new);
        try (PreparedStatement query = db.prepareStatement(
                "SELECT count(*) FROM distribution.conversations WHERE conversation_id = ANY(?)")) {
            query.setArray(1, db.createArrayOf("uuid", ids));
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1) == ids.length;
            }
        }
    }

    /** Records of crm.conversation.events the service's consumer group has not committed yet. */
    private long consumerLag() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("distribution-service")
                .partitionsToOffsetAndMetadata().get();
        Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
        committed.keySet().forEach(partition -> latest.put(partition, OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get();
        long lag = 0;
        for (Map.Entry<TopicPartition, OffsetAndMetadata> e : committed.entrySet()) {
            if (e.getKey().topic().equals(Topics.CRM_CONVERSATION_EVENTS) && e.getValue() != null) {
                lag += ends.get(e.getKey()).offset() - e.getValue().offset();
            }
        }
        return lag;
    }

    private void closeAll(KafkaProducer<byte[], byte[]> producer, Connection db) throws Exception {
        while (!open.isEmpty()) {
            Object[] old = open.removeFirst();
            send(producer, EventTypes.CONVERSATION_CLOSED, (String) old[0], (UUID) old[1], (UUID) old[2],
                    ConversationStatus.CLOSED);
        }
        producer.flush();
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        while (System.nanoTime() < deadline && queryLong(db,
                "SELECT count(*) FROM distribution.conversations WHERE state <> 'closed'") > 0) {
            Thread.sleep(500);
        }
    }

    private static long rows(Connection db) throws Exception {
        return queryLong(db, "SELECT count(*) FROM distribution.conversations");
    }

    /** Conversations that ever got an agent: assigned now, or closed after having one. */
    private static long assignedEver(Connection db) throws Exception {
        return queryLong(db, "SELECT count(*) FROM distribution.conversations WHERE state = 'assigned' "
                + "OR (state = 'closed' AND previous_agent_id IS NOT NULL)");
    }

    /**
     * Checks capacity: the agents' counters every time, the conversation rows every eighth time (a scan of the
     * assigned rows through their partial index, 50 ms once the index is bloated by churn). Answers whether the rows
     * were checked.
     */
    private boolean sample(Connection db) throws Exception {
        counterViolations = (int) Math.max(counterViolations, queryLong(db,
                "SELECT count(*) FROM distribution.agents WHERE active > max_concurrent"));
        if (samples++ % 8 != 0) {
            return false;
        }
        capacityViolations = (int) Math.max(capacityViolations, queryLong(db, """
                SELECT count(*) FROM (SELECT tenant_id, agent_id, count(*) AS n FROM distribution.conversations
                                       WHERE state = 'assigned' GROUP BY 1, 2) x
                  JOIN distribution.agents a ON a.tenant_id = x.tenant_id AND a.user_id = x.agent_id
                 WHERE x.n > a.max_concurrent"""));
        return true;
    }

    private static Map<String, Object> spread(Connection db, String sql) throws Exception {
        Map<String, long[]> groups = new LinkedHashMap<>();
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                String group = rows.getString(1) + "/capacity " + rows.getInt(2);
                long n = rows.getLong(4);
                long[] minMax = groups.computeIfAbsent(group, g -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
                minMax[0] = Math.min(minMax[0], n);
                minMax[1] = Math.max(minMax[1], n);
            }
        }
        Map<String, Object> map = Report.map();
        long max = 0;
        Map<String, Object> perGroup = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : groups.entrySet()) {
            perGroup.put(e.getKey(), "min " + e.getValue()[0] + " max " + e.getValue()[1]);
            max = Math.max(max, e.getValue()[1] - e.getValue()[0]);
        }
        map.put("max", max);
        map.put("groups", perGroup);
        return map;
    }

    private void send(KafkaProducer<byte[], byte[]> producer, String type, String tenant, UUID id, UUID session,
            ConversationStatus status) {
        Instant now = Instant.now();
        ConversationChanged payload = new ConversationChanged(tenant, id, session, "+549110000" + (id.hashCode()
                & 0xFFFF), null, status, null, true, 0, now, null, 1, now);
        EventMetadata metadata = EventMetadata.of(type, "/message-service", id.toString(), tenant,
                session.toString());
        Message<byte[]> message = codec.encode(metadata, payload, id.toString());
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(Topics.CRM_CONVERSATION_EVENTS,
                id.toString().getBytes(StandardCharsets.UTF_8), message.getPayload());
        message.getHeaders().forEach((name, value) -> {
            if (name.startsWith("ce_") && value instanceof String text) {
                record.headers().add(name, text.getBytes(StandardCharsets.UTF_8));
            }
        });
        if (EventTypes.CONVERSATION_OPENED.equals(type)) {
            producer.send(record, (sent, error) -> {
                if (sent != null) {
                    lastOpened.merge(sent.partition() + "/" + tenant, new Object[] {sent.offset(), id},
                            (a, b) -> (long) a[0] >= (long) b[0] ? a : b);
                }
            });
        }
        else {
            producer.send(record);
        }
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.LINGER_MS_CONFIG, 10,
                ProducerConfig.BATCH_SIZE_CONFIG, 262144));
    }

    private static long queryLong(Connection db, String sql) throws Exception {
        try (Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
