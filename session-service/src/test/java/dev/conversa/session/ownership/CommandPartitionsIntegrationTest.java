package dev.conversa.session.ownership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

import dev.conversa.events.Topics;
import dev.conversa.testsupport.TestKafka;

/** The partition of a session is the one a real Kafka producer picks for a record keyed by the session id. */
class CommandPartitionsIntegrationTest {

    @Test
    void sessionPartitionIsThePartitionKafkasDefaultPartitionerPicksForTheSessionKey() throws Exception {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        Map<UUID, Future<RecordMetadata>> sent = new LinkedHashMap<>();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
            for (int i = 0; i < 200; i++) {
                UUID sessionId = UUID.randomUUID();
                sent.put(sessionId, producer.send(new ProducerRecord<>(Topics.WA_COMMANDS, sessionId.toString(), "{}")));
            }
            producer.flush();
        }

        List<Integer> partitionsSeen = new ArrayList<>();
        for (Map.Entry<UUID, Future<RecordMetadata>> entry : sent.entrySet()) {
            int kafkasChoice = entry.getValue().get(30, TimeUnit.SECONDS).partition();
            assertThat(CommandPartitions.partitionOf(entry.getKey(), TestKafka.PARTITIONS))
                    .as("partition of session %s", entry.getKey())
                    .isEqualTo(kafkasChoice);
            partitionsSeen.add(kafkasChoice);
        }
        // 200 random keys reach every one of the 12 partitions, so the comparison covered them all
        assertThat(partitionsSeen).containsAll(java.util.stream.IntStream.range(0, TestKafka.PARTITIONS).boxed().toList());
    }

    @Test
    void partitionIsStableAndWithinTheCount() {
        UUID sessionId = UUID.fromString("6f1c2b1e-0d7a-4c55-9a43-1f0d4e8b2a10");

        int partition = CommandPartitions.partitionOf(sessionId, 12);

        assertThat(partition).isBetween(0, 11).isEqualTo(CommandPartitions.partitionOf(sessionId, 12));
        assertThat(CommandPartitions.partitionOf(sessionId, 1)).isZero();
    }

    @Test
    void partitionCountBelowOneIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> CommandPartitions.partitionOf(UUID.randomUUID(), 0));
    }
}
