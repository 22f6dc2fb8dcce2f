package dev.conversa.session.ownership;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.TestPropertySource;

import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.TestKafka;

/**
 * The Kafka binder of the running service reports its {@code wa.commands} binding's assignment to
 * {@link CommandPartitionOwnership} on its own: the bean is the binder's rebalance listener. A probe function stands
 * in for the runtime's commands consumer, so the test does not depend on it.
 */
@ConversaIntegrationTest
@TestPropertySource(properties = {
        "spring.cloud.function.definition=ownershipProbe",
        "spring.cloud.stream.bindings.ownershipProbe-in-0.destination=wa.commands",
        "spring.cloud.stream.bindings.ownershipProbe-in-0.group=ownership-binder-test",
        "spring.cloud.stream.kafka.bindings.ownershipProbe-in-0.consumer.configuration.partition.assignment.strategy="
                + "org.apache.kafka.clients.consumer.CooperativeStickyAssignor",
        "conversa.session.ownership.commands-binding=ownershipProbe-in-0" })
class OwnershipBinderIntegrationTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Probe {

        @Bean
        Consumer<String> ownershipProbe() {
            return command -> {
            };
        }
    }

    @Autowired
    CommandPartitionOwnership ownership;

    @Test
    void theOnlyInstanceOfTheGroupOwnsEveryCommandsPartitionThroughTheBinder() {
        Set<Integer> all = IntStream.range(0, TestKafka.PARTITIONS).boxed().collect(Collectors.toSet());

        Awaitility.await("the binder assigned every partition of wa.commands")
                .atMost(Duration.ofSeconds(60))
                .until(() -> ownership.owned().equals(all));

        assertThat(ownership.partitionCount()).isEqualTo(TestKafka.PARTITIONS);
        assertThat(ownership.owns(UUID.randomUUID())).isTrue();
    }
}
