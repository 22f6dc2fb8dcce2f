package dev.conversa.testsupport;

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

/**
 * Reads what a service published on the JVM's broker, by record key, without joining a consumer group: every
 * partition from the beginning, so a test sees records produced before it looked.
 */
public final class TopicRecords {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final CloudEventCodec CODEC = new CloudEventCodec();

    private TopicRecords() {
    }

    /** Waits until {@code count} records keyed {@code key} are on {@code topic}; fails the test otherwise. */
    public static List<ConsumerRecord<String, byte[]>> await(String topic, String key, int count) {
        List<ConsumerRecord<String, byte[]>> found = read(topic, key, count, TIMEOUT);
        assertThat(found).as("records keyed %s on %s", key, topic).hasSizeGreaterThanOrEqualTo(count);
        return found;
    }

    public static List<ConsumerRecord<String, byte[]>> await(String topic, UUID key, int count) {
        return await(topic, key.toString(), count);
    }

    /**
     * The records keyed {@code key} on {@code topic}, read until {@code atLeast} arrived or {@code timeout} passed,
     * plus whatever follows shortly after (records of one key share a partition, in order). No assertion: use it to
     * show that nothing was published, with a short timeout.
     */
    public static List<ConsumerRecord<String, byte[]>> read(String topic, String key, int atLeast, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
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
            while (found.size() < atLeast && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> keep(record, key, found));
            }
            consumer.poll(Duration.ofMillis(300)).forEach(record -> keep(record, key, found));
        }
        return found;
    }

    public static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** The record's CloudEvent payload bound to {@code type}. */
    public static <T> T payload(ConsumerRecord<String, byte[]> record, Class<T> type) {
        return CODEC.json().readValue(record.value(), type);
    }

    /** The {@code ce_type} of each record, in order. */
    public static List<String> types(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(record -> header(record, "ce_type")).toList();
    }

    private static void keep(ConsumerRecord<String, byte[]> record, String key,
            List<ConsumerRecord<String, byte[]>> found) {
        if (key.equals(record.key())) {
            found.add(record);
        }
    }
}
