package dev.conversa.session.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.testsupport.TestKafka;

/**
 * Reads what the service put on a topic with a plain {@link KafkaConsumer} on the test broker: every partition from
 * the beginning, keeping the records whose key is one session id (ids are unique per test, so tests do not see each
 * other's records). Records of one key share a partition, so they come back in the order they were produced.
 */
final class TopicRecords {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final CloudEventCodec CODEC = new CloudEventCodec();

    private TopicRecords() {
    }

    /** Waits until {@code count} records keyed {@code sessionId} are on {@code topic}, and answers all of them. */
    static List<ConsumerRecord<String, byte[]>> await(String topic, UUID sessionId, int count) {
        Instant deadline = Instant.now().plus(TIMEOUT);
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false))) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(info -> new TopicPartition(topic, info.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            while (found.size() < count && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (sessionId.toString().equals(record.key())) {
                        found.add(record);
                    }
                });
            }
            // anything produced with the same key by then is on the same partition, already read or close behind
            consumer.poll(Duration.ofMillis(300)).forEach(record -> {
                if (sessionId.toString().equals(record.key())) {
                    found.add(record);
                }
            });
        }
        assertThat(found).as("records keyed %s on %s", sessionId, topic).hasSizeGreaterThanOrEqualTo(count);
        return found;
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static <T> T payload(ConsumerRecord<String, byte[]> record, Class<T> type) {
        return CODEC.json().readValue(record.value(), type);
    }

    static List<String> types(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(record -> header(record, "ce_type")).toList();
    }
}
