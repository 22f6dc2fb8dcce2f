package dev.conversa.notification.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.security.Role;
import reactor.core.Disposable;

class StreamMetricsTest {

    @Test
    void gaugeFollowsTheConnectedClients() {
        EventHub hub = new EventHub(new EventHubTest.MemoryLog(), StreamProperties.of(Duration.ofSeconds(15), 4, 1));
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new StreamMetrics(hub).bindTo(registry);
        try {
            ConversaPrincipal admin = new ConversaPrincipal("admin", "tenant-a", Set.of(Role.ADMIN), null);
            Disposable first = hub.subscribe(admin).subscribe();
            Disposable second = hub.subscribe(admin).subscribe();
            assertThat(registry.get("conversa.sse.clients").gauge().value()).isEqualTo(2);

            first.dispose();
            assertThat(registry.get("conversa.sse.clients").gauge().value()).isEqualTo(1);
            second.dispose();
            assertThat(registry.get("conversa.sse.clients").gauge().value()).isZero();
        }
        finally {
            hub.destroy();
        }
    }
}
