package dev.conversa.session.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.conversa.events.session.SessionTransport;
import dev.conversa.session.pacing.PacingProperties.Rate;

/** {@code conversa.session.pacing.*}: defaults, overrides and refused values. */
class PacingPropertiesTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(PacingConfiguration.class);

    @Test
    void defaultsAreAHumanPaceForLinkedAndMetasThroughputForTheCloudApi() {
        context.run(started -> {
            PacingProperties properties = started.getBean(PacingProperties.class);

            assertThat(properties).isEqualTo(PacingProperties.defaults());
            assertThat(properties.rate(SessionTransport.LINKED))
                    .isEqualTo(new Rate(0.5, 3, Duration.ofMillis(500), Duration.ofSeconds(2)));
            assertThat(properties.rate(SessionTransport.LINKED).interval()).isEqualTo(Duration.ofSeconds(2));
            assertThat(properties.rate(SessionTransport.CLOUD_API))
                    .isEqualTo(new Rate(80, 80, Duration.ZERO, Duration.ZERO));
            assertThat(properties.rate(SessionTransport.CLOUD_API).interval())
                    .isEqualTo(Duration.ofMillis(12).plusNanos(500_000));
            assertThat(properties.duplicateWindow()).isEqualTo(Duration.ofMinutes(5));
        });
    }

    @Test
    void everyKeyBindsFromConfiguration() {
        context.withPropertyValues("conversa.session.pacing.linked.per-second=0.25",
                "conversa.session.pacing.linked.burst=2", "conversa.session.pacing.linked.jitter-min=1s",
                "conversa.session.pacing.linked.jitter-max=3s", "conversa.session.pacing.cloud-api.per-second=20",
                "conversa.session.pacing.cloud-api.burst=20", "conversa.session.pacing.duplicate-window=0")
                .run(started -> assertThat(started.getBean(PacingProperties.class)).isEqualTo(new PacingProperties(
                        new Rate(0.25, 2, Duration.ofSeconds(1), Duration.ofSeconds(3)),
                        new Rate(20, 20, Duration.ZERO, Duration.ZERO), Duration.ZERO)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"conversa.session.pacing.linked.burst=3", "conversa.session.pacing.duplicate-window=-1s"})
    void incompleteOrInvalidValuesFailTheStart(String property) {
        context.withPropertyValues(property).run(started -> assertThat(started).hasFailed());
    }

    @Test
    void invalidRatesAreRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Rate(0, 1, null, null));
        assertThatIllegalArgumentException().isThrownBy(() -> new Rate(Double.NaN, 1, null, null));
        assertThatIllegalArgumentException().isThrownBy(() -> new Rate(1, 0, null, null));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Rate(1, 1, Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> new Rate(1, 1, Duration.ofMillis(-1), null));
        assertThat(new Rate(1, 1, null, null).jitterMax()).isZero();
    }
}
