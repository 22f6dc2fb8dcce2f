package dev.conversa.bench;

import java.nio.file.Path;
import java.util.Map;

/**
 * What one run of {@link SessionCapacityBenchmark} uses; every field is printed with the figures, because the
 * failover time is mostly the lease TTL and the Kafka session timeout, and the heap figures depend on the collector.
 *
 * @param sessions             linked sessions created, linked and held by instance A
 * @param heap                 {@code -Xmx} of each service instance
 * @param gc                   the collector of each service instance: {@code G1} or {@code Parallel}
 * @param leaseTtl             {@code conversa.session.ownership.lease-ttl}: how long a dead owner's leases block
 * @param kafkaSessionTimeoutMs the commands consumer's {@code session.timeout.ms}: how soon Kafka notices the kill
 * @param kafkaHeartbeatMs     its {@code heartbeat.interval.ms}
 * @param restoreConcurrency   {@code conversa.session.runtime.restore-concurrency}: sessions opened at once
 * @param linkConcurrency      sessions this benchmark creates and links at once through the REST API
 * @param simulatorUrl         the simulator's HTTP base URL
 * @param serviceJar           session-service's executable jar
 * @param workDir              where the instances' logs and heap histograms go
 */
record CapacitySettings(int sessions, String heap, String gc, String leaseTtl, int kafkaSessionTimeoutMs,
        int kafkaHeartbeatMs, int restoreConcurrency, int linkConcurrency, String simulatorUrl, Path serviceJar,
        Path workDir) {

    static CapacitySettings from(Map<String, String> options) {
        return new CapacitySettings(
                Integer.parseInt(options.getOrDefault("sessions", "5000")),
                options.getOrDefault("heap", "1g"),
                options.getOrDefault("gc", "G1"),
                options.getOrDefault("lease-ttl", "10s"),
                Integer.parseInt(options.getOrDefault("kafka-session-timeout-ms", "10000")),
                Integer.parseInt(options.getOrDefault("kafka-heartbeat-ms", "2000")),
                Integer.parseInt(options.getOrDefault("restore-concurrency", "128")),
                Integer.parseInt(options.getOrDefault("link-concurrency", "256")),
                options.getOrDefault("simulator", "http://127.0.0.1:18091"),
                Path.of(options.getOrDefault("service-jar", "session-service/target/session-service-exec.jar")),
                Path.of(options.getOrDefault("work-dir", "bench/target/sessions")));
    }

    String linkedUrl() {
        return simulatorUrl.replaceFirst("^http", "ws") + "/linked/v1";
    }

    String gcFlag() {
        return switch (gc) {
            case "G1" -> "-XX:+UseG1GC";
            case "Parallel" -> "-XX:+UseParallelGC";
            default -> throw new IllegalArgumentException("--gc must be G1 or Parallel, was " + gc);
        };
    }
}
