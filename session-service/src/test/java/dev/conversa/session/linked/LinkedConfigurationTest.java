package dev.conversa.session.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.conversa.session.reconnect.ReconnectPolicy;

class LinkedConfigurationTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(LinkedConfiguration.class)
            .withBean(ReconnectPolicy.class, LinkedFixtures::fastPolicy)
            .withBean(LinkedDeviceClient.class);

    @Test
    void bindsTheLinkedPropertiesAndCreatesOneClient() {
        context.withPropertyValues("conversa.session.linked.url=wss://bridge.example/linked/v1",
                        "conversa.session.linked.ack-timeout=3s", "conversa.session.linked.ack-batch-size=500")
                .run(started -> {
                    assertThat(started).hasNotFailed().hasSingleBean(LinkedDeviceClient.class);
                    LinkedProperties properties = started.getBean(LinkedProperties.class);
                    assertThat(properties.url()).isEqualTo(URI.create("wss://bridge.example/linked/v1"));
                    assertThat(properties.ackTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(properties.ackBatchSize()).isEqualTo(500);
                    assertThat(properties.pingTimeout()).isEqualTo(Duration.ofSeconds(10));
                });
    }

    @Test
    void invalidPropertiesFailTheStart() {
        context.withPropertyValues("conversa.session.linked.ack-batch-size=0")
                .run(started -> assertThat(started).hasFailed());
    }
}
