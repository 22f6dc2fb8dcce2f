package dev.conversa.session.reconnect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ReconnectPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(PropertiesConfiguration.class, ReconnectConfiguration.class);

    @Test
    void defaultsAreOneSecondDoublingUpToFiveMinutesForTenAttempts() {
        context.run(started -> {
            ReconnectProperties properties = started.getBean(ReconnectProperties.class);

            assertThat(properties).isEqualTo(ReconnectProperties.defaults());
            assertThat(properties.base()).isEqualTo(Duration.ofSeconds(1));
            assertThat(properties.factor()).isEqualTo(2.0);
            assertThat(properties.maxDelay()).isEqualTo(Duration.ofMinutes(5));
            assertThat(properties.maxAttempts()).isEqualTo(10);
            assertThat(started.getBean(ReconnectPolicy.class).properties()).isEqualTo(properties);
        });
    }

    @Test
    void everyKeyBindsFromConfiguration() {
        context.withPropertyValues("conversa.session.reconnect.base=250ms", "conversa.session.reconnect.factor=1.5",
                "conversa.session.reconnect.max-delay=30s", "conversa.session.reconnect.max-attempts=4")
                .run(started -> {
                    assertThat(started.getBean(ReconnectProperties.class)).isEqualTo(
                            new ReconnectProperties(Duration.ofMillis(250), 1.5, Duration.ofSeconds(30), 4));
                    ReconnectPolicy policy = started.getBean(ReconnectPolicy.class);
                    assertThat(policy.cappedDelay(1)).isEqualTo(Duration.ofMillis(375));
                    assertThat(policy.decide(DisconnectReason.CONNECTION_LOST, 4, false))
                            .isInstanceOf(ReconnectDecision.Stop.class);
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"conversa.session.reconnect.base=0s", "conversa.session.reconnect.factor=0.5",
        "conversa.session.reconnect.max-attempts=0", "conversa.session.reconnect.max-delay=500ms"})
    void invalidValueFailsTheStart(String property) {
        context.withPropertyValues(property).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).rootCause()
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining(property.substring(0, property.indexOf('=')));
        });
    }

    @Test
    void invalidValuesAreRejectedWhenBuiltInCode() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReconnectProperties(Duration.ofSeconds(-1), 2, Duration.ofMinutes(5), 10));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReconnectProperties(Duration.ofSeconds(1), Double.NaN, Duration.ofMinutes(5), 10));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ReconnectProperties(Duration.ofMinutes(10), 2, Duration.ofMinutes(5), 10));
    }

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ReconnectProperties.class)
    static class PropertiesConfiguration {
    }
}
