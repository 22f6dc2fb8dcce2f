package dev.conversa.session.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** Binding and validation of {@code conversa.session.ownership.*}. */
class OwnershipPropertiesTest {

    private static OwnershipProperties bind(Map<String, String> properties) {
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("conversa.session.ownership", OwnershipProperties.class);
    }

    @Test
    void unsetKeysTakeTheDefaultsDerivedFromTheLeaseTtl() {
        OwnershipProperties properties = bind(Map.of());

        assertThat(properties.leaseTtl()).isEqualTo(Duration.ofSeconds(15));
        assertThat(properties.renewInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(properties.revocationTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(properties.acquireTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(properties.commandsBinding()).isEqualTo("handleCommand-in-0");
        assertThat(properties.instanceId()).isNotBlank();
        assertThat(OwnershipProperties.defaults()).usingRecursiveComparison().ignoringFields("instanceId")
                .isEqualTo(properties);
    }

    @Test
    void everyInstanceGetsItsOwnGeneratedIdOnce() {
        OwnershipProperties one = bind(Map.of());
        OwnershipProperties two = bind(Map.of());

        assertThat(one.instanceId()).isNotEqualTo(two.instanceId());
        assertThat(one.instanceId()).isEqualTo(one.instanceId());
    }

    @Test
    void renewIntervalAndAcquireTimeoutFollowAConfiguredTtl() {
        OwnershipProperties properties = bind(Map.of(
                "conversa.session.ownership.instance-id", "pod-7",
                "conversa.session.ownership.lease-ttl", "9s",
                "conversa.session.ownership.commands-binding", "commands-in-0"));

        assertThat(properties.instanceId()).isEqualTo("pod-7");
        assertThat(properties.renewInterval()).isEqualTo(Duration.ofSeconds(3));
        assertThat(properties.acquireTimeout()).isEqualTo(Duration.ofSeconds(14));
        assertThat(properties.commandsBinding()).isEqualTo("commands-in-0");
    }

    @Test
    void renewIntervalNotBelowTheTtlFailsTheStart() {
        assertThatThrownBy(() -> bind(Map.of(
                "conversa.session.ownership.lease-ttl", "5s",
                "conversa.session.ownership.renew-interval", "5s")))
                .isInstanceOf(BindException.class)
                .rootCause().hasMessageContaining("renew-interval");
    }

    @Test
    void nonPositiveDurationsFailTheStart() {
        assertThatThrownBy(() -> bind(Map.of("conversa.session.ownership.lease-ttl", "0s")))
                .rootCause().hasMessageContaining("lease-ttl");
        assertThatThrownBy(() -> bind(Map.of("conversa.session.ownership.revocation-timeout", "-1s")))
                .rootCause().hasMessageContaining("revocation-timeout");
    }
}
