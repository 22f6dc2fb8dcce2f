package dev.conversa.bench;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What one run of {@link CampaignBenchmark} uses.
 *
 * @param recipients          rows of the generated CSV, all in one group: the campaign's audience
 * @param sessions            linked sessions the campaign sends from (spread round robin)
 * @param perSessionPerMinute the pace of every session ({@code PUT /api/v1/sessions/{id}/pacing}); the campaign's
 *                            configured rate is {@code sessions × perSessionPerMinute / 60} messages a second
 * @param jitterPercent       the sessions' jitter
 * @param heap                {@code -Xmx} of each service JVM
 * @param sendTimeoutSeconds  longest the sending phase may take before the run reports what it has
 * @param campaignJar         campaign-service's executable jar
 * @param importOnly          stop after the import: no session-service, no sessions, no campaign
 * @param importRuns          imports of the same file, each into a tenant of its own (so each inserts every row):
 *                            the first shows a cold service, the later ones a warm one (default 5; the first goes
 *                            to the campaign's tenant)
 * @param serviceJvmArgs      extra JVM options of campaign-service (e.g. a flight recording)
 * @param warmupRecipients    recipients of a campaign sent before the measured one, to other contacts at the same
 *                            pace, so the measured campaign runs on warm JVMs as in production (0: none)
 * @param campaignProperties  extra Spring properties of campaign-service ({@code --campaign-properties='k=v k=v'}),
 *                            e.g. {@code conversa.contacts.batch-size=2000}
 */
record CampaignSettings(int recipients, int sessions, int perSessionPerMinute, int jitterPercent, String heap,
        int sendTimeoutSeconds, Path campaignJar, Path workDir, boolean importOnly, int importRuns,
        List<String> serviceJvmArgs, int warmupRecipients, Map<String, String> campaignProperties) {

    static CampaignSettings from(Map<String, String> options) {
        return new CampaignSettings(
                Integer.parseInt(options.getOrDefault("recipients", "100000")),
                Integer.parseInt(options.getOrDefault("sessions", "10")),
                Integer.parseInt(options.getOrDefault("per-session-per-minute", "300")),
                Integer.parseInt(options.getOrDefault("jitter-percent", "20")),
                options.getOrDefault("heap", "1g"),
                Integer.parseInt(options.getOrDefault("send-timeout-seconds", "2400")),
                Path.of(options.getOrDefault("campaign-jar", "campaign-service/target/campaign-service-exec.jar")),
                Path.of(options.getOrDefault("work-dir", "bench/target/campaign")),
                Boolean.parseBoolean(options.getOrDefault("import-only", "false")),
                Math.max(1, Integer.parseInt(options.getOrDefault("import-runs", "5"))),
                Arrays.stream(options.getOrDefault("service-jvm-args", "").trim().split("\\s+"))
                        .filter(arg -> !arg.isEmpty()).toList(),
                Math.max(0, Integer.parseInt(options.getOrDefault("warmup-recipients", "3000"))),
                Arrays.stream(options.getOrDefault("campaign-properties", "").trim().split("\\s+"))
                        .filter(pair -> pair.contains("="))
                        .collect(java.util.stream.Collectors.toMap(pair -> pair.substring(0, pair.indexOf('=')),
                                pair -> pair.substring(pair.indexOf('=') + 1), (a, b) -> b,
                                java.util.LinkedHashMap::new)));
    }

    /** The pace the campaign is configured to hold, over all its sessions. */
    double configuredPerSecond() {
        return sessions * perSessionPerMinute / 60.0;
    }
}
