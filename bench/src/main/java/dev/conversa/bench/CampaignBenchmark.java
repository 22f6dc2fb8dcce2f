package dev.conversa.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;
import tools.jackson.databind.JsonNode;

/**
 * Campaigns end to end (issue "campaign-service #6"): a generated CSV of N contacts imported through
 * {@code POST /api/v1/contacts/import} (rows per second, wall clock from the first byte sent to the job completed),
 * then one campaign to all of them from S linked sessions, each paced at P messages a minute, sent through
 * session-service to the WhatsApp simulator. The simulator's ground truth gives the time to the first send, the
 * measured send rate against the configured one (deviation %), what was lost and what was sent twice.
 *
 * <p>Runs against a simulator started separately ({@code bench/campaign.sh}). This JVM hosts the embedded Kafka
 * broker and the test JWKS; session-service and campaign-service run as JVMs of their own from their executable
 * jars. Prints one JSON document and one {@code SUMMARY} line; asserts nothing.
 *
 * <p>Options: {@code --recipients=100000 --sessions=10 --per-session-per-minute=1200 --jitter-percent=20
 * --heap=1g --send-timeout-seconds=1200 --simulator=http://127.0.0.1:18091 --service-jar=<session-service>
 * --campaign-jar=<campaign-service> --work-dir=bench/target/campaign --import-runs=5}: the same file is imported
 * N times, each into a tenant of its own (the first, to a freshly started service, is the campaign's audience; the
 * median of the others is the import rate of a service that has been up); for the import alone
 * {@code --import-only=true} (only campaign-service is started; no simulator needed) and
 * {@code --service-jvm-args='-XX:StartFlightRecording=filename=import.jfr,settings=profile'} for campaign-service.
 */
public final class CampaignBenchmark {

    private static final String TENANT = "bench-tenant";
    static final String IMPORT_DATABASE = "conversa_import_bench";
    private static final long IMPORT_TARGET = 50_000;
    private static final Duration READY_WITHIN = Duration.ofMinutes(3);
    private static final Duration SAMPLE_EVERY = Duration.ofMillis(500);
    /** After the last expected send, how long to keep watching for sends that should not happen. */
    private static final Duration AFTERWATCH = Duration.ofSeconds(10);

    private final CampaignSettings settings;
    private final CapacitySettings sessionSettings;
    private final Map<String, Object> report = Report.map();
    private static final String WARMUP_GROUP = "warmup";

    private boolean csvWritten;

    private CampaignBenchmark(CampaignSettings settings, CapacitySettings sessionSettings) {
        this.settings = settings;
        this.sessionSettings = sessionSettings;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Exit.after(() -> new CampaignBenchmark(CampaignSettings.from(options), CapacitySettings.from(options)).run());
    }

    private void run() throws Exception {
        if (settings.importOnly()) {
            runImportOnly();
            return;
        }
        report.put("benchmark", "campaign");
        report.put("startedAt", Instant.now().toString());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("settings", settingsMap());

        BenchServers servers = BenchServers.start();
        Map<String, Object> sessionProperties = servers.serviceProperties(sessionSettings);
        // session-service's own pace for linked numbers must not be what limits the campaign: twice its pace
        double perSecond = settings.perSessionPerMinute() / 60.0;
        sessionProperties.put("conversa.session.pacing.linked.per-second", Math.max(1, perSecond * 2));
        sessionProperties.put("conversa.session.pacing.linked.burst", 20);
        sessionProperties.put("conversa.session.pacing.linked.jitter-min", "0s");
        sessionProperties.put("conversa.session.pacing.linked.jitter-max", "0s");
        SimulatorPhone phone = new SimulatorPhone(sessionSettings.simulatorUrl(), settings.sessions() + 16);
        SimulatorTruth truth = new SimulatorTruth(sessionSettings.simulatorUrl());

        try (ServiceJvm sessions = ServiceJvm.start("session-service", sessionSettings.serviceJar(), jvm(),
                sessionProperties, settings.workDir().resolve("session-service.log"), READY_WITHIN);
                ServiceJvm campaigns = ServiceJvm.start("campaign-service", settings.campaignJar(), campaignJvm(),
                        campaignProperties(sessionProperties), settings.workDir().resolve("campaign-service.log"),
                        READY_WITHIN)) {
            awaitAllPartitions(new ServiceLog(sessions.log()));
            SessionsApi sessionsApi = new SessionsApi(sessions.baseUrl(), TENANT, settings.sessions() + 16);
            SessionLinker.Result linking = new SessionLinker(sessionsApi, phone, TestKafka.PARTITIONS)
                    .linkAll(settings.sessions(), Math.min(settings.sessions(), 64));
            if (linking.connected() < settings.sessions()) {
                throw new IllegalStateException("only " + linking.connected() + " sessions connected");
            }
            List<UUID> sessionIds = linking.sessions().stream().map(SessionLinker.LinkedSession::sessionId).toList();
            List<String> numbers = linking.sessions().stream().map(SessionLinker.LinkedSession::phoneNumber)
                    .toList();

            CampaignApi api = new CampaignApi(campaigns.baseUrl(), TENANT);
            report.put("import", importRuns(campaigns, BenchServers.DATABASE));
            for (UUID session : sessionIds) {
                api.pace(session, settings.perSessionPerMinute(), settings.jitterPercent());
            }
            if (settings.warmupRecipients() > 0) {
                report.put("warmup", warmUp(api, truth, sessionIds, numbers));
            }
            report.put("loadAverageBeforeCampaign", ProcessCpu.loadAverage());
            report.put("campaign", send(api, truth, sessionIds, numbers));
            report.put("loadAverageAfterCampaign", ProcessCpu.loadAverage());
            report.put("campaignServiceLog", logFigures(campaigns));
            report.put("sessionServiceLog", logFigures(sessions));
        }
        print();
    }

    /** {@code --import-only=true}: campaign-service alone, the CSV imported {@code --import-runs} times. */
    private void runImportOnly() throws Exception {
        report.put("benchmark", "campaign-import");
        report.put("startedAt", Instant.now().toString());
        report.put("cores", Runtime.getRuntime().availableProcessors());
        report.put("loadAverageBefore", ProcessCpu.loadAverage());
        Map<String, Object> settingsMap = Report.map();
        settingsMap.put("recipients", settings.recipients());
        settingsMap.put("importRuns", settings.importRuns());
        settingsMap.put("heap", settings.heap());
        settingsMap.put("serviceJvmArgs", settings.serviceJvmArgs());
        settingsMap.put("campaignProperties", settings.campaignProperties());
        report.put("settings", settingsMap);

        try (ServiceJvm campaigns = ServiceJvm.start("campaign-service", settings.campaignJar(), campaignJvm(),
                importOnlyProperties(), settings.workDir().resolve("campaign-service.log"), READY_WITHIN)) {
            report.put("import", importRuns(campaigns, IMPORT_DATABASE));
            report.put("campaignServiceLog", logFigures(campaigns));
        }
        report.put("loadAverageAfter", ProcessCpu.loadAverage());
        System.out.println(JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        System.out.printf("SUMMARY %s, load average before %s%n", importSummary(), report.get("loadAverageBefore"));
    }

    /**
     * The CSV imported {@code --import-runs} times, each into a tenant of its own (every run inserts every row), the
     * first into the campaign's tenant. The first run shows a freshly started service (the JIT compiling the path
     * while it runs); the later ones a service that has been up, whose median is the import rate held against the
     * target, as the send pace is measured after a warm-up campaign. Database CPU: the backends connected to
     * {@code database} (in a full run also session-service's, idle then).
     */
    private Map<String, Object> importRuns(ServiceJvm campaigns, String database) throws Exception {
        List<Map<String, Object>> runs = new ArrayList<>();
        for (int run = 0; run < settings.importRuns(); run++) {
            String tenant = run == 0 ? TENANT : TENANT + "-import-" + run;
            long serviceTicks = ProcessCpu.ticks(campaigns.pid());
            Map<Long, Long> databaseTicks = databaseTicks(database);
            Map<String, Object> figures = importContacts(new CampaignApi(campaigns.baseUrl(), tenant));
            figures.put("tenant", tenant);
            // CPU used, whatever else runs on the machine: the service's JVM and the PostgreSQL backends of
            // its database (connections opened during the import count from zero)
            double serviceCpu = (ProcessCpu.ticks(campaigns.pid()) - serviceTicks) / ProcessCpu.TICKS_PER_SECOND;
            long dbTicks = 0;
            for (Map.Entry<Long, Long> backend : databaseTicks(database).entrySet()) {
                dbTicks += backend.getValue() - databaseTicks.getOrDefault(backend.getKey(), 0L);
            }
            double databaseCpu = dbTicks / ProcessCpu.TICKS_PER_SECOND;
            figures.put("serviceCpuSeconds", Report.round(serviceCpu, 2));
            figures.put("databaseCpuSeconds", Report.round(databaseCpu, 2));
            figures.put("cpuMicrosPerRow", Map.of(
                    "service", Math.round(serviceCpu * 1e6 / settings.recipients()),
                    "database", Math.round(databaseCpu * 1e6 / settings.recipients())));
            System.err.printf("import %d: %s rows/s (%s s from the request; %s rows/s job created → finished); "
                            + "CPU %.2f s service, %.2f s database; load %s%n",
                    run + 1, figures.get("rowsPerSecond"), figures.get("seconds"), figures.get("jobRowsPerSecond"),
                    serviceCpu, databaseCpu, ProcessCpu.loadAverage());
            runs.add(figures);
        }
        Map<String, Object> figures = Report.map();
        figures.put("targetRowsPerSecond", IMPORT_TARGET);
        figures.put("firstAfterStartRowsPerSecond", runs.getFirst().get("rowsPerSecond"));
        List<Long> warm = runs.stream().skip(1).map(run -> (Long) run.get("rowsPerSecond")).sorted().toList();
        if (!warm.isEmpty()) {
            long median = warm.size() % 2 == 1 ? warm.get(warm.size() / 2)
                    : (warm.get(warm.size() / 2 - 1) + warm.get(warm.size() / 2)) / 2;
            figures.put("warmMedianRowsPerSecond", median);
            figures.put("warmRuns", warm.size());
            figures.put("warmMinRowsPerSecond", warm.getFirst());
            figures.put("warmMaxRowsPerSecond", warm.getLast());
            figures.put("targetMet", median >= IMPORT_TARGET);
        }
        figures.put("runs", runs);
        return figures;
    }

    /** The import's part of the SUMMARY line. */
    @SuppressWarnings("unchecked")
    private String importSummary() {
        Map<String, Object> imported = (Map<String, Object>) report.get("import");
        Map<String, Object> first = ((List<Map<String, Object>>) imported.get("runs")).getFirst();
        String warm = imported.containsKey("warmMedianRowsPerSecond")
                ? "%s rows/s (median of %s runs after the first, %s–%s; target %d: %s)".formatted(
                        imported.get("warmMedianRowsPerSecond"), imported.get("warmRuns"),
                        imported.get("warmMinRowsPerSecond"), imported.get("warmMaxRowsPerSecond"), IMPORT_TARGET,
                        Boolean.TRUE.equals(imported.get("targetMet")) ? "met" : "missed")
                : "n/a (--import-runs=1)";
        return "import=%s firstAfterStart=%s rows/s (%s rows in %ss; job %s rows/s)".formatted(warm,
                first.get("rowsPerSecond"), first.get("rows"), first.get("seconds"), first.get("jobRowsPerSecond"));
    }

    /**
     * campaign-service's properties for {@code --import-only}: a database of its own ({@value #IMPORT_DATABASE},
     * dropped and created), so an import run never drops the database of a full run ({@link BenchServers}); the
     * broker and the JWKS of this JVM; then {@code --campaign-properties}.
     */
    private Map<String, Object> importOnlyProperties() throws java.sql.SQLException {
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                java.sql.Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + IMPORT_DATABASE + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + IMPORT_DATABASE);
        }
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", "r2dbc:postgresql://127.0.0.1:5432/" + IMPORT_DATABASE);
        properties.put("spring.r2dbc.username", "postgres");
        properties.put("spring.flyway.url", "jdbc:postgresql://127.0.0.1:5432/" + IMPORT_DATABASE);
        properties.put("spring.flyway.user", "postgres");
        properties.put("spring.cloud.stream.kafka.binder.brokers", TestKafka.bootstrapServers());
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        properties.put("spring.cloud.stream.kafka.binder.replication-factor", 1);
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.get().issuer());
        properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestJwts.get().jwksUri());
        properties.put("management.otlp.metrics.export.enabled", false);
        properties.put("management.tracing.export.enabled", false);
        properties.putAll(settings.campaignProperties());
        return properties;
    }

    /** CPU ticks of each PostgreSQL backend connected to {@code database}, by pid. */
    private static Map<Long, Long> databaseTicks(String database) throws java.sql.SQLException {
        Map<Long, Long> ticks = new LinkedHashMap<>();
        try (java.sql.Connection admin = java.sql.DriverManager.getConnection(
                        "jdbc:postgresql://127.0.0.1:5432/postgres", "postgres", "");
                java.sql.Statement sql = admin.createStatement();
                java.sql.ResultSet rows = sql.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = '"
                        + database + "'")) {
            while (rows.next()) {
                long pid = rows.getLong(1);
                ticks.put(pid, ProcessCpu.ticks(pid));
            }
        }
        return ticks;
    }


    /**
     * A campaign to {@code --warmup-recipients} other contacts (group {@value #WARMUP_GROUP}, numbers after the
     * measured ones) at the same pace, sent to the end before the measured campaign starts: the services' JIT has
     * compiled the sending path by then, as in a service that has been running. Not part of any figure.
     */
    private Map<String, Object> warmUp(CampaignApi api, SimulatorTruth truth, List<UUID> sessionIds,
            List<String> numbers) throws Exception {
        int rows = settings.warmupRecipients();
        Path csv = ContactsCsv.write(settings.workDir().resolve("warmup-contacts.csv"), rows, WARMUP_GROUP,
                settings.recipients());
        JsonNode job = api.importContacts(csv, "AR");
        while ("processing".equals(job.path("status").asString())) {
            Pause.millis(50);
            job = api.importJob(job.get("id").asString());
        }
        long before = truth.acceptedTotal(numbers);
        long start = System.nanoTime();
        api.createAndStart("warm-up " + Instant.now(), sessionIds, WARMUP_GROUP, "Hola {{name|cliente}}, ¿cómo estás?");
        long deadline = start + Duration.ofSeconds(settings.sendTimeoutSeconds()).toNanos();
        long sent = 0;
        while (sent < rows && System.nanoTime() < deadline) {
            Pause.millis(SAMPLE_EVERY.toMillis());
            sent = truth.acceptedTotal(numbers) - before;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.err.printf("warm-up: %d of %d sent in %.0f s%n", sent, rows, seconds);
        Map<String, Object> map = Report.map();
        map.put("recipients", rows);
        map.put("sent", sent);
        map.put("seconds", Report.round(seconds, 1));
        return map;
    }

    private Map<String, Object> importContacts(CampaignApi api) throws Exception {
        Path csv = settings.workDir().resolve("contacts.csv");
        if (!csvWritten) {
            ContactsCsv.write(csv, settings.recipients());
            csvWritten = true;
        }
        long bytes = Files.size(csv);
        long start = System.nanoTime();
        JsonNode job = api.importContacts(csv, "AR");
        while ("processing".equals(job.path("status").asString())) {
            Pause.millis(50);
            job = api.importJob(job.get("id").asString());
        }
        long nanos = System.nanoTime() - start;
        Map<String, Object> map = Report.map();
        map.put("rows", settings.recipients());
        map.put("fileBytes", bytes);
        map.put("status", job.path("status").asString());
        map.put("accepted", job.path("accepted").asLong());
        map.put("rejected", job.path("rejected").asLong());
        map.put("duplicates", job.path("duplicates").asLong());
        map.put("seconds", Report.seconds(nanos));
        map.put("rowsPerSecond", Math.round(settings.recipients() / (nanos / 1e9)));
        map.put("how", "one multipart POST of the file from disk, clock from the request to the job completed");
        if (job.hasNonNull("createdAt") && job.hasNonNull("finishedAt")) {
            Duration jobTime = Duration.between(Instant.parse(job.get("createdAt").asString()),
                    Instant.parse(job.get("finishedAt").asString()));
            map.put("jobSeconds", Report.seconds(jobTime.toNanos()));
            map.put("jobRowsPerSecond", Math.round(settings.recipients() / (jobTime.toNanos() / 1e9)));
        }
        return map;
    }

    private Map<String, Object> send(CampaignApi api, SimulatorTruth truth, List<UUID> sessionIds,
            List<String> numbers) throws Exception {
        Map<String, Long> acceptedBefore = truth.acceptedBy(numbers);
        long before = acceptedBefore.values().stream().mapToLong(Long::longValue).sum();
        long start = System.nanoTime();
        UUID campaign = api.createAndStart("bench " + Instant.now(), sessionIds, ContactsCsv.GROUP,
                "Hola {{name|cliente}}, tu código es {{codigo_cliente}}. Te esperamos en {{ciudad}}.");
        long expected = settings.recipients();
        List<long[]> samples = new ArrayList<>();
        long firstSendNanos = -1;
        long deadline = start + Duration.ofSeconds(settings.sendTimeoutSeconds()).toNanos();
        long sent = 0;
        long lastReport = System.nanoTime();
        while (sent < expected && System.nanoTime() < deadline) {
            Pause.millis(firstSendNanos < 0 ? 50 : SAMPLE_EVERY.toMillis());
            sent = truth.acceptedTotal(numbers) - before;
            long now = System.nanoTime();
            if (sent > 0 && firstSendNanos < 0) {
                firstSendNanos = now - start;
            }
            samples.add(new long[] {now - start, sent});
            if (now - lastReport > Duration.ofSeconds(10).toNanos()) {
                System.err.printf("campaign: %d of %d sent after %.0f s%n", sent, expected, (now - start) / 1e9);
                lastReport = now;
            }
        }
        long doneNanos = System.nanoTime() - start;
        Pause.millis(AFTERWATCH.toMillis());
        Map<String, Long> perNumber = truth.acceptedBy(numbers);
        long finalSent = perNumber.values().stream().mapToLong(Long::longValue).sum() - before;
        JsonNode duplicates = truth.duplicates();
        JsonNode progress = api.progress(campaign);

        Map<String, Object> map = Report.map();
        map.put("campaignId", campaign.toString());
        map.put("recipients", expected);
        map.put("configuredPerSecond", Report.round(settings.configuredPerSecond(), 2));
        map.put("firstSendSeconds", firstSendNanos < 0 ? null : Report.seconds(firstSendNanos));
        map.put("allSentSeconds", sent >= expected ? Report.seconds(doneNanos) : null);
        Map<String, Object> rate = steadyRate(samples, expected);
        map.put("measured", rate);
        map.put("acceptedBySimulator", finalSent);
        map.put("lost", Math.max(0, expected - finalSent));
        map.put("sentTwiceByCount", Math.max(0, finalSent - expected));
        map.put("duplicateClientRefs", duplicates.path("keys").asLong());
        map.put("duplicateSample", duplicates.path("sample"));
        // this campaign's sends per session (the warm-up's left out)
        map.put("perSession", perNumber.entrySet().stream()
                .map(entry -> entry.getValue() - acceptedBefore.getOrDefault(entry.getKey(), 0L)).toList());
        map.put("progressAtEnd", progress);
        return map;
    }

    /**
     * The send rate between 5 % and 95 % of the recipients (ramp-up and tail left out), interpolated between
     * samples, against the configured one.
     */
    private Map<String, Object> steadyRate(List<long[]> samples, long expected) {
        Map<String, Object> map = Report.map();
        double from = at(samples, expected * 0.05);
        double to = at(samples, expected * 0.95);
        if (Double.isNaN(from) || Double.isNaN(to) || to <= from) {
            map.put("perSecond", null);
            return map;
        }
        double rate = expected * 0.90 / ((to - from) / 1e9);
        map.put("window", "5 % → 95 % of the recipients");
        map.put("windowSeconds", Report.round((to - from) / 1e9, 2));
        map.put("perSecond", Report.round(rate, 2));
        map.put("deviationPercent", Report.round((rate / settings.configuredPerSecond() - 1) * 100, 2));
        return map;
    }

    /** When (nanos since start) the count crossed {@code count}, linearly between the samples around it. */
    private static double at(List<long[]> samples, double count) {
        long[] previous = {0, 0};
        for (long[] sample : samples) {
            if (sample[1] >= count) {
                if (sample[1] == previous[1]) {
                    return sample[0];
                }
                return previous[0] + (sample[0] - previous[0]) * (count - previous[1]) / (sample[1] - previous[1]);
            }
            previous = sample;
        }
        return Double.NaN;
    }

    private Map<String, Object> campaignProperties(Map<String, Object> sessionProperties) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (String key : List.of("spring.r2dbc.url", "spring.r2dbc.username", "spring.flyway.url",
                "spring.flyway.user", "spring.cloud.stream.kafka.binder.brokers", "spring.kafka.bootstrap-servers",
                "spring.cloud.stream.kafka.binder.replication-factor",
                "spring.security.oauth2.resourceserver.jwt.issuer-uri",
                "spring.security.oauth2.resourceserver.jwt.jwk-set-uri", "management.otlp.metrics.export.enabled",
                "management.tracing.export.enabled")) {
            properties.put(key, sessionProperties.get(key));
        }
        properties.putAll(settings.campaignProperties());
        return properties;
    }

    private List<String> jvm() {
        return List.of("-Xmx" + settings.heap(), "-XX:+UseG1GC", "-XX:+ExitOnOutOfMemoryError");
    }

    /** campaign-service's JVM: {@link #jvm()} and {@code --service-jvm-args}. */
    private List<String> campaignJvm() {
        List<String> args = new ArrayList<>(jvm());
        args.addAll(settings.serviceJvmArgs());
        return args;
    }

    private static Map<String, Object> logFigures(ServiceJvm service) {
        ServiceLog log = new ServiceLog(service.log());
        Map<String, Object> map = Report.map();
        map.put("warnings", log.poll().warnings());
        map.put("errors", log.errors());
        map.put("file", service.log().toString());
        return map;
    }

    /** Waits until session-service owns all of {@code wa.commands}, so no link waits for a rebalance. */
    private static void awaitAllPartitions(ServiceLog log) {
        long deadline = System.nanoTime() + READY_WITHIN.toNanos();
        while (log.poll().assignedPartitions().size() < TestKafka.PARTITIONS) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("session-service never got every partition");
            }
            Pause.millis(200);
        }
    }

    private Map<String, Object> settingsMap() {
        Map<String, Object> map = Report.map();
        map.put("recipients", settings.recipients());
        map.put("sessions", settings.sessions());
        map.put("perSessionPerMinute", settings.perSessionPerMinute());
        map.put("jitterPercent", settings.jitterPercent());
        map.put("configuredPerSecond", Report.round(settings.configuredPerSecond(), 2));
        map.put("heapPerService", settings.heap());
        map.put("warmupRecipients", settings.warmupRecipients());
        map.put("partitions", TestKafka.PARTITIONS);
        return map;
    }

    @SuppressWarnings("unchecked")
    private void print() {
        System.out.println(JsonHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
        Map<String, Object> campaign = (Map<String, Object>) report.get("campaign");
        Map<String, Object> measured = (Map<String, Object>) campaign.get("measured");
        System.out.printf("SUMMARY %s pace=%s/s configured=%s/s deviation=%s%% (target ±2) firstSend=%ss lost=%s "
                        + "duplicates=%s (clientRefs %s) sessions=%d%n",
                importSummary(), measured.get("perSecond"), campaign.get("configuredPerSecond"),
                measured.get("deviationPercent"), campaign.get("firstSendSeconds"), campaign.get("lost"),
                campaign.get("sentTwiceByCount"), campaign.get("duplicateClientRefs"), settings.sessions());
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
