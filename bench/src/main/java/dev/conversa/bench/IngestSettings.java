package dev.conversa.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one run of {@link MessageIngestBenchmark} uses; every field is printed with the figures.
 *
 * @param rates            target produce rates (events/s), tried in this order
 * @param seconds          how long each rate is produced
 * @param conversations    distinct contacts (one conversation each), spread over {@code sessions}
 * @param sessions         WhatsApp sessions (the record key, so they pick the partitions)
 * @param tenants          tenants the sessions belong to
 * @param batchSize        {@code conversa.message.ingest.batch-size} of the service, and the raw insert's batch
 * @param maxWait          {@code conversa.message.ingest.max-wait} of the service
 * @param rawRows          rows the raw insert measurement writes (after a warm-up of 20 batches)
 * @param warmupSeconds    a first, unreported step at 1,000 events/s for the service's JIT (0: none)
 * @param drainTimeout     longest wait after a step for the service to store everything produced
 * @param continueAfterSaturation whether rates above the first saturated one are still tried
 * @param acks             the producer's {@code acks}
 * @param lingerMs         the producer's {@code linger.ms}
 * @param batchBytes       the producer's {@code batch.size}
 * @param heap             {@code -Xmx} of the service JVM
 * @param gc               its collector: {@code G1} or {@code Parallel}
 * @param threadDumps      {@code jcmd Thread.print} taken from the service in the first saturated step
 * @param serviceProperties extra {@code --key=value} for the service (what-if runs), {@code ;}-separated
 * @param serviceJvmArgs   extra JVM options for the service (what-if runs), space-separated
 * @param serviceJar       message-service's executable jar
 * @param workDir          where the service log and the thread dumps go
 */
record IngestSettings(List<Integer> rates, int seconds, int conversations, int sessions, int tenants, int batchSize,
        String maxWait, int rawRows, int warmupSeconds, Duration drainTimeout, boolean continueAfterSaturation,
        String acks, int lingerMs, int batchBytes, String heap, String gc, int threadDumps,
        Map<String, String> serviceProperties, List<String> serviceJvmArgs, Path serviceJar, Path workDir) {

    static IngestSettings from(Map<String, String> options) {
        List<Integer> rates = new ArrayList<>();
        for (String rate : options.getOrDefault("rates", "2000,5000,10000,20000").split(",")) {
            rates.add(Integer.parseInt(rate.trim()));
        }
        Map<String, String> extra = new java.util.LinkedHashMap<>();
        String props = options.getOrDefault("service-props", "");
        for (String pair : props.split(";")) {
            if (pair.contains("=")) {
                extra.put(pair.substring(0, pair.indexOf('=')).trim(), pair.substring(pair.indexOf('=') + 1).trim());
            }
        }
        return new IngestSettings(List.copyOf(rates),
                Integer.parseInt(options.getOrDefault("seconds", "20")),
                Integer.parseInt(options.getOrDefault("conversations", "2000")),
                Integer.parseInt(options.getOrDefault("sessions", "200")),
                Integer.parseInt(options.getOrDefault("tenants", "4")),
                Integer.parseInt(options.getOrDefault("batch-size", "500")),
                options.getOrDefault("max-wait", "50ms"),
                Integer.parseInt(options.getOrDefault("raw-rows", "200000")),
                Integer.parseInt(options.getOrDefault("warmup-seconds", "5")),
                Duration.ofSeconds(Long.parseLong(options.getOrDefault("drain-timeout-seconds", "240"))),
                Boolean.parseBoolean(options.getOrDefault("continue-after-saturation", "false")),
                options.getOrDefault("acks", "1"),
                Integer.parseInt(options.getOrDefault("linger-ms", "10")),
                Integer.parseInt(options.getOrDefault("batch-bytes", String.valueOf(256 * 1024))),
                options.getOrDefault("heap", "1g"),
                options.getOrDefault("gc", "G1"),
                Integer.parseInt(options.getOrDefault("thread-dumps", "3")),
                Map.copyOf(extra),
                java.util.Arrays.stream(options.getOrDefault("service-jvm-args", "").trim().split("\\s+"))
                        .filter(arg -> !arg.isEmpty()).toList(),
                Path.of(options.getOrDefault("service-jar", "message-service/target/message-service-exec.jar")),
                Path.of(options.getOrDefault("work-dir", "bench/target/message-ingest")));
    }

    String gcFlag() {
        return switch (gc) {
            case "G1" -> "-XX:+UseG1GC";
            case "Parallel" -> "-XX:+UseParallelGC";
            default -> throw new IllegalArgumentException("--gc must be G1 or Parallel, was " + gc);
        };
    }
}
