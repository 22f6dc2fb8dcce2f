package dev.conversa.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Renders and lints deploy/helm/conversa with helm-java (Helm's own Go library through JNA, no helm binary, no
 * cluster) and checks the parts an operator relies on.
 */
class HelmChartTest {

    private static final Path CHART = Repo.root().resolve("deploy/helm/conversa");
    private static final List<String> SERVICES =
            List.of("gateway", "session", "message", "campaign", "distribution", "notification");

    @Test
    void chartPassesStrictLint() {
        LintResult result = new Helm(CHART).lint().strict().call();

        assertThat(result.isFailed()).as("lint messages: %s", result.getMessages()).isFalse();
    }

    @Test
    void everyServiceGetsADeploymentServiceConfigMapAutoscalerAndDisruptionBudget() {
        List<Map<String, Object>> docs = render(Map.of());

        for (String service : SERVICES) {
            String name = "demo-conversa-" + service;
            assertThat(find(docs, "Deployment", name)).as("Deployment %s", name).isNotNull();
            assertThat(find(docs, "Service", name)).as("Service %s", name).isNotNull();
            assertThat(find(docs, "ConfigMap", name)).as("ConfigMap %s", name).isNotNull();
            assertThat(find(docs, "HorizontalPodAutoscaler", name)).as("HPA %s", name).isNotNull();
            assertThat(find(docs, "PodDisruptionBudget", name)).as("PDB %s", name).isNotNull();
        }
        assertThat(kinds(docs, "Deployment")).hasSize(SERVICES.size());
    }

    @Test
    void probesUseTheActuatorHealthGroupsAndContainersHaveResourcesAndRunHardened() {
        for (String service : SERVICES) {
            Map<String, Object> container = container(find(render(Map.of()), "Deployment", "demo-conversa-" + service));

            assertThat(at(container, "livenessProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            assertThat(at(container, "readinessProbe", "httpGet", "path")).isEqualTo("/actuator/health/readiness");
            assertThat(at(container, "startupProbe", "httpGet", "path")).isEqualTo("/actuator/health/liveness");
            assertThat(at(container, "resources", "requests", "memory")).isNotNull();
            assertThat(at(container, "resources", "limits", "memory")).isNotNull();
            assertThat(at(container, "securityContext", "readOnlyRootFilesystem")).isEqualTo(true);
            assertThat(at(container, "securityContext", "allowPrivilegeEscalation")).isEqualTo(false);
        }
    }

    @Test
    void secretsAreReferencedNeverRendered() {
        List<Map<String, Object>> docs = render(Map.of());

        assertThat(kinds(docs, "Secret")).as("the chart creates no Secret").isEmpty();
        Map<String, Object> session = container(find(docs, "Deployment", "demo-conversa-session"));
        assertThat(secretRef(session, "AUTH_STATE_KEY")).isEqualTo("conversa-session/auth-state-key");
        assertThat(secretRef(session, "DB_PASSWORD")).isEqualTo("conversa-postgres/password");
        Map<String, Object> notification = container(find(docs, "Deployment", "demo-conversa-notification"));
        assertThat(secretRef(notification, "WEBHOOK_SECRET_KEY")).isEqualTo("conversa-notification/webhook-secret-key");
        Map<String, Object> message = container(find(docs, "Deployment", "demo-conversa-message"));
        assertThat(secretRef(message, "MEDIA_SIGNING_KEY")).isEqualTo("conversa-message/media-signing-key");
        // session-service writes inbound media and uploads outbound files, message-service serves them,
        // campaign-service checks a campaign's file: one S3 store for all three
        for (String service : List.of("session", "message", "campaign")) {
            Map<String, Object> mediaUser = container(find(docs, "Deployment", "demo-conversa-" + service));
            assertThat(secretRef(mediaUser, "MEDIA_S3_SECRET_KEY"))
                    .isEqualTo("conversa-media-s3/secret-key");
            assertThat(at(find(docs, "ConfigMap", "demo-conversa-" + service), "data", "MEDIA_S3_BUCKET"))
                    .isEqualTo("conversa-media");
        }
        // nothing secret in any ConfigMap
        for (Map<String, Object> configMap : kinds(docs, "ConfigMap")) {
            assertThat(((Map<?, ?>) configMap.get("data")).keySet())
                    .noneMatch(key -> key.toString().matches(".*(PASSWORD|SECRET|_KEY)$"));
        }
    }

    @Test
    void gatewayIsTheOnlyEntryThroughIngressAndNetworkPolicies() {
        List<Map<String, Object>> docs = render(Map.of());

        Map<String, Object> ingress = find(docs, "Ingress", "demo-conversa-gateway");
        assertThat(ingress).isNotNull();
        assertThat(String.valueOf(at(ingress, "spec", "rules"))).contains("demo-conversa-gateway");
        assertThat(kinds(docs, "Ingress")).hasSize(1);

        Map<String, Object> deny = find(docs, "NetworkPolicy", "demo-conversa-default-deny-ingress");
        assertThat(at(deny, "spec", "policyTypes")).isEqualTo(List.of("Ingress"));
        assertThat(find(docs, "NetworkPolicy", "demo-conversa-gateway-from-ingress")).isNotNull();
        for (String service : SERVICES.subList(1, SERVICES.size())) {
            Map<String, Object> policy = find(docs, "NetworkPolicy", "demo-conversa-" + service + "-from-gateway");
            assertThat(String.valueOf(at(policy, "spec", "ingress"))).contains("gateway-service");
        }
        // the gateway reaches the services by their release-scoped Service names
        Map<String, Object> gatewayConfig = find(docs, "ConfigMap", "demo-conversa-gateway");
        assertThat(at(gatewayConfig, "data", "SESSION_SERVICE_URL")).isEqualTo("http://demo-conversa-session:8081");
    }

    @Test
    void everyServiceKeepsTheTraceAcrossReactorThreadsExportsItAndLogsJson() {
        List<Map<String, Object>> docs = render(Map.of("tracing.enabled", true));

        for (String service : SERVICES) {
            Map<String, Object> config = find(docs, "ConfigMap", "demo-conversa-" + service);
            assertThat(at(config, "data", "SPRING_REACTOR_CONTEXT_PROPAGATION")).isEqualTo("auto");
            // JSON log lines (with trace ids from the MDC)
            assertThat(at(config, "data", "LOGGING_STRUCTURED_FORMAT_CONSOLE")).isEqualTo("ecs");
            assertThat(at(config, "data", "TRACING_EXPORT_ENABLED")).isEqualTo("true");
            assertThat(at(config, "data", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")).asString().endsWith("/v1/traces");
        }
    }

    @Test
    void postgresBackupRunsNightlyIntoAKeptVolume() {
        List<Map<String, Object>> docs = render(Map.of());

        Map<String, Object> cron = find(docs, "CronJob", "demo-conversa-postgres-backup");
        assertThat(at(cron, "spec", "schedule")).isEqualTo("0 2 * * *");
        assertThat(at(cron, "spec", "concurrencyPolicy")).isEqualTo("Forbid");
        assertThat(String.valueOf(at(cron, "spec", "jobTemplate"))).contains("pg_dump --format=custom");
        Map<String, Object> claim = find(docs, "PersistentVolumeClaim", "demo-conversa-backups");
        assertThat(at(claim, "metadata", "annotations", "helm.sh/resource-policy")).isEqualTo("keep");
    }

    @Test
    void optionalServiceMonitorAndKedaScalersReplaceTheConsumersAutoscalers() {
        List<Map<String, Object>> plain = render(Map.of());
        assertThat(kinds(plain, "ServiceMonitor")).isEmpty();
        assertThat(kinds(plain, "ScaledObject")).isEmpty();

        List<Map<String, Object>> docs = render(Map.of("metrics.serviceMonitor.enabled", true, "keda.enabled", true));

        Map<String, Object> monitor = find(docs, "ServiceMonitor", "demo-conversa");
        assertThat(String.valueOf(at(monitor, "spec", "endpoints"))).contains("/actuator/prometheus");
        Map<String, Object> scaler = find(docs, "ScaledObject", "demo-conversa-message");
        assertThat(String.valueOf(at(scaler, "spec", "triggers")))
                .contains("type=kafka", "consumerGroup=message-service", "topic=wa.message.inbound");
        assertThat(at(scaler, "spec", "maxReplicaCount")).isEqualTo(12);
        // KEDA owns the consumers' HPAs; the gateway (no Kafka) keeps its own
        assertThat(find(docs, "HorizontalPodAutoscaler", "demo-conversa-message")).isNull();
        assertThat(find(docs, "HorizontalPodAutoscaler", "demo-conversa-gateway")).isNotNull();
    }

    // ------------------------------------------------------------------ helpers

    private static List<Map<String, Object>> render(Map<String, Object> values) {
        var template = new Helm(CHART).template().withName("demo").withNamespace("conversa").withKubeVersion("1.31.0");
        values.forEach(template::set);
        String manifests = template.call();
        List<Map<String, Object>> docs = new ArrayList<>();
        LoaderOptions strict = new LoaderOptions();
        strict.setAllowDuplicateKeys(false);
        for (Object doc : new Yaml(strict).loadAll(manifests)) {
            if (doc != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> map = (Map<String, Object>) doc;
                docs.add(map);
            }
        }
        return docs;
    }

    private static List<Map<String, Object>> kinds(List<Map<String, Object>> docs, String kind) {
        return docs.stream().filter(d -> kind.equals(d.get("kind"))).collect(Collectors.toList());
    }

    private static Map<String, Object> find(List<Map<String, Object>> docs, String kind, String name) {
        return kinds(docs, kind).stream()
                .filter(d -> name.equals(at(d, "metadata", "name")))
                .findFirst().orElse(null);
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> doc, String... path) {
        Object current = Objects.requireNonNull(doc, "no such manifest");
        for (String key : path) {
            if (!(current instanceof Map)) {
                return null;
            }
            current = ((Map<String, Object>) current).get(key);
        }
        return current;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Map<String, Object>> containers =
                (List<Map<String, Object>>) at(deployment, "spec", "template", "spec", "containers");
        assertThat(containers).hasSize(1);
        return containers.getFirst();
    }

    @SuppressWarnings("unchecked")
    private static String secretRef(Map<String, Object> container, String env) {
        for (Map<String, Object> entry : (List<Map<String, Object>>) container.get("env")) {
            if (env.equals(entry.get("name"))) {
                assertThat(entry).doesNotContainKey("value");
                Map<String, Object> ref = (Map<String, Object>) at(entry, "valueFrom", "secretKeyRef");
                return ref.get("name") + "/" + ref.get("key");
            }
        }
        return null;
    }
}
