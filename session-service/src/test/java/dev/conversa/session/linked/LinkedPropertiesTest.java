package dev.conversa.session.linked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

class LinkedPropertiesTest {

    @Test
    void leftOutValuesTakeTheirDefaults() {
        LinkedProperties properties = new LinkedProperties(null, null, null, null, null, null, null, null, null, null,
                null, null);

        assertThat(properties.url()).isEqualTo(URI.create("ws://localhost:8090/linked/v1"));
        assertThat(properties.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.ackTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(properties.pingTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(properties.clientName()).isEqualTo("conversa-session/0.1");
        assertThat(properties.ackFlushInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(properties.ackBatchSize()).isEqualTo(100);
        assertThat(properties.maxInFlightSends()).isEqualTo(1000);
        assertThat(properties.outboundBuffer()).isEqualTo(256);
        assertThat(properties.dedupeCapacity()).isEqualTo(1000);
        assertThat(properties.idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(properties.closeTimeout()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void invalidValuesFailTheStart() {
        assertThatIllegalArgumentException().isThrownBy(() -> LinkedProperties.defaults(URI.create("http://x/linked/v1")))
                .withMessageContaining("conversa.session.linked.url");
        assertThatIllegalArgumentException().isThrownBy(() -> new LinkedProperties(null, null, Duration.ZERO, null,
                null, null, null, null, null, null, null, null)).withMessageContaining("ack-timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> new LinkedProperties(null, null, null, null, null, null,
                1001, null, null, null, null, null)).withMessageContaining("ack-batch-size");
        assertThatIllegalArgumentException().isThrownBy(() -> new LinkedProperties(null, null, null, null, " ", null,
                null, null, null, null, null, null)).withMessageContaining("client-name");
    }
}
