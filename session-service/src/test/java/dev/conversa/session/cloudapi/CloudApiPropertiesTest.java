package dev.conversa.session.cloudapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code conversa.session.cloud-api.*}: defaults, overrides and refused values. */
class CloudApiPropertiesTest {

    @Test
    void noKeysGiveMetasGraphApiWithTheDefaults() {
        CloudApiProperties properties = bind(Map.of());

        assertThat(properties).isEqualTo(CloudApiProperties.defaults());
        assertThat(properties.baseUrl()).isEqualTo(URI.create("https://graph.facebook.com"));
        assertThat(properties.version()).isEqualTo("v25.0");
        assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(properties.maxConnections()).isEqualTo(500);
    }

    @Test
    void keysOverrideTheDefaults() {
        CloudApiProperties properties = bind(Map.of("conversa.session.cloud-api.base-url", "http://127.0.0.1:8090",
                "conversa.session.cloud-api.version", "v23.0",
                "conversa.session.cloud-api.response-timeout", "3s"));

        assertThat(properties.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8090"));
        assertThat(properties.version()).isEqualTo("v23.0");
        assertThat(properties.responseTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void invalidValuesFailTheStart() {
        URI graph = URI.create("https://graph.facebook.com");
        Duration second = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new CloudApiProperties(URI.create("graph.facebook.com"), "v25.0", second, second, 1))
                .hasMessageContaining("base-url");
        assertThatThrownBy(() -> new CloudApiProperties(graph, "25", second, second, 1))
                .hasMessageContaining("version");
        assertThatThrownBy(() -> new CloudApiProperties(graph, "v25.0", Duration.ZERO, second, 1))
                .hasMessageContaining("connect-timeout");
        assertThatThrownBy(() -> new CloudApiProperties(graph, "v25.0", second, Duration.ofSeconds(-1), 1))
                .hasMessageContaining("response-timeout");
        assertThatThrownBy(() -> new CloudApiProperties(graph, "v25.0", second, second, 0))
                .hasMessageContaining("max-connections");
    }

    private static CloudApiProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("conversa.session.cloud-api", CloudApiProperties.class);
    }
}
