package dev.conversa.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.awaitility.Awaitility;

import org.apache.kafka.clients.admin.NewTopic;
import org.springframework.kafka.test.EmbeddedKafkaKraftBroker;

import dev.conversa.events.Topics;

/**
 * One real KRaft Kafka broker per test JVM (spring-kafka-test), started on first use with every Conversa topic and
 * its dead-letter topic, and stopped when the JVM exits. Tests isolate themselves by consumer group, not by broker.
 */
public final class TestKafka {

    /** As in production: {@code wa.commands} has 12 partitions; the others too, to exercise keying. */
    public static final int PARTITIONS = 12;

    private static volatile EmbeddedKafkaKraftBroker broker;

    private TestKafka() {
    }

    public static synchronized EmbeddedKafkaKraftBroker broker() {
        if (broker == null) {
            EmbeddedKafkaKraftBroker started = new EmbeddedKafkaKraftBroker(1, PARTITIONS);
            started.brokerProperties(Map.of(
                    "auto.create.topics.enable", "true",
                    "num.partitions", String.valueOf(PARTITIONS),
                    "group.initial.rebalance.delay.ms", "0",
                    "offsets.topic.num.partitions", "5"));
            started.afterPropertiesSet();
            started.addTopics(Topics.ALL.stream()
                    .flatMap(topic -> java.util.stream.Stream.of(topic, Topics.dlq(topic)))
                    .map(topic -> new NewTopic(topic, PARTITIONS, (short) 1))
                    .toArray(NewTopic[]::new));
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
            broker = started;
        }
        return broker;
    }

    public static String bootstrapServers() {
        return broker().getBrokersAsString();
    }

    /**
     * Waits until consumer group {@code group} is stable and owns every partition of {@code topic}: after this, a
     * consumer that starts at the latest offset sees every record produced.
     */
    public static void awaitAssignment(String group, String topic, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            Awaitility.await("group " + group + " assigned all of " + topic)
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> assignedPartitions(admin, group, topic) == PARTITIONS);
        }
    }

    private static long assignedPartitions(Admin admin, String group, String topic) throws Exception {
        ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all()
                .get(5, TimeUnit.SECONDS).get(group);
        if (description == null || description.groupState() != GroupState.STABLE) {
            return -1;
        }
        return description.members().stream()
                .flatMap(member -> member.assignment().topicPartitions().stream())
                .filter(partition -> partition.topic().equals(topic))
                .count();
    }
}
