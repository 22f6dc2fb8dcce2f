package dev.conversa.deploy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * deploy/grafana/conversa-overview.json is a loadable dashboard, and every Conversa business metric it queries is
 * one that a service really registers (a Micrometer meter name in some service's main code), so a renamed meter
 * breaks the build instead of leaving an empty panel.
 */
class GrafanaDashboardTest {

    private static final Path ROOT = Repo.root();
    private static final Path DASHBOARD = ROOT.resolve("deploy/grafana/conversa-overview.json");
    private static final Pattern METRIC = Pattern.compile("([a-z][a-z0-9_]*)\\{");

    @Test
    void dashboardHasPanelsWithPrometheusQueriesOverTheServiceVariable() {
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());

        assertThat(dashboard.path("uid").asString()).isEqualTo("conversa-overview");
        List<String> expressions = expressions(dashboard);
        assertThat(expressions).hasSizeGreaterThanOrEqualTo(10);
        assertThat(expressions).allSatisfy(expr -> assertThat(expr).contains("application=~\"$application\""));
        for (JsonNode panel : dashboard.path("panels")) {
            if (!"row".equals(panel.path("type").asString())) {
                assertThat(panel.path("datasource").path("uid").asString()).isEqualTo("${datasource}");
                assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            }
        }
    }

    @Test
    void everyBusinessMetricOnTheDashboardIsRegisteredByAService() throws IOException {
        JsonNode dashboard = JsonMapper.builder().build().readTree(DASHBOARD.toFile());
        Set<String> business = new TreeSet<>();
        for (String expr : expressions(dashboard)) {
            Matcher m = METRIC.matcher(expr);
            while (m.find()) {
                if (m.group(1).startsWith("conversa_") || m.group(1).startsWith("distribution_")) {
                    business.add(m.group(1));
                }
            }
        }
        assertThat(business).contains("conversa_session_live", "distribution_queue_waiting");

        String sources = mainSources();
        for (String metric : business) {
            assertThat(meterNames(metric)).as("%s: no service registers a meter of that name", metric)
                    .anyMatch(name -> sources.contains('"' + name + '"'));
        }
    }

    /** Micrometer names a Prometheus series may come from: the name without its unit/type suffixes, dotted. */
    private static List<String> meterNames(String series) {
        List<String> names = new ArrayList<>();
        for (String suffix : List.of("", "_total", "_seconds_sum", "_seconds_count", "_seconds_max", "_sum",
                "_count", "_max")) {
            if (series.endsWith(suffix)) {
                names.add(series.substring(0, series.length() - suffix.length()).replace('_', '.'));
            }
        }
        return names;
    }

    private static List<String> expressions(JsonNode dashboard) {
        List<String> expressions = new ArrayList<>();
        for (JsonNode panel : dashboard.path("panels")) {
            for (JsonNode target : panel.path("targets")) {
                expressions.add(target.path("expr").asString());
            }
        }
        return expressions;
    }

    private static String mainSources() throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> dirs = Files.list(ROOT)) {
            for (Path service : dirs.filter(d -> d.getFileName().toString().endsWith("-service")).toList()) {
                Path main = service.resolve("src/main/java");
                if (Files.isDirectory(main)) {
                    try (Stream<Path> files = Files.walk(main)) {
                        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                            all.append(Files.readString(file)).append('\n');
                        }
                    }
                }
            }
        }
        return all.toString();
    }
}
