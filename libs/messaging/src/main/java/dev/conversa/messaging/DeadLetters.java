package dev.conversa.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.support.KafkaHeaders;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import dev.conversa.events.Topics;
import dev.conversa.events.cloudevents.CloudEventCodec;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Parks a record that could not be processed on {@code <topic>.dlq}: the original value, key and CloudEvents
 * headers, plus why and where it failed. A dead letter is never dropped: publishing it is retried until the
 * broker takes it, which holds the partition back rather than losing the record.
 */
public class DeadLetters {

    public static final String EXCEPTION_CLASS = "x-exception-fqcn";
    public static final String EXCEPTION_MESSAGE = "x-exception-message";
    public static final String ORIGINAL_TOPIC = "x-original-topic";
    public static final String ORIGINAL_PARTITION = "x-original-partition";
    public static final String ORIGINAL_OFFSET = "x-original-offset";
    public static final String CONSUMER = "x-consumer";

    private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_REASON_LENGTH = 1000;

    private final EventPublisher publisher;

    public DeadLetters(EventPublisher publisher) {
        this.publisher = publisher;
    }

    public Mono<Void> park(String consumer, Message<?> record, Throwable cause) {
        MessageHeaders headers = record.getHeaders();
        String topic = String.valueOf(headers.getOrDefault(KafkaHeaders.RECEIVED_TOPIC, "unknown"));
        MessageBuilder<?> deadLetter = MessageBuilder.withPayload(record.getPayload())
                .setHeader(EXCEPTION_CLASS, cause.getClass().getName())
                .setHeader(EXCEPTION_MESSAGE, truncate(String.valueOf(cause.getMessage())))
                .setHeader(ORIGINAL_TOPIC, topic)
                .setHeader(ORIGINAL_PARTITION, String.valueOf(headers.get(KafkaHeaders.RECEIVED_PARTITION)))
                .setHeader(ORIGINAL_OFFSET, String.valueOf(headers.get(KafkaHeaders.OFFSET)))
                .setHeader(CONSUMER, consumer);
        CloudEventCodec.attributes(headers).forEach(deadLetter::setHeader);
        Object key = headers.get(KafkaHeaders.RECEIVED_KEY);
        if (key != null) {
            deadLetter.setHeader(CloudEventCodec.KAFKA_KEY_HEADER,
                    key instanceof byte[] bytes ? bytes : String.valueOf(key).getBytes(StandardCharsets.UTF_8));
        }
        String dlq = Topics.dlq(topic);
        log.warn("{} parks record {}-{}@{} on {}: {}", consumer, topic, headers.get(KafkaHeaders.RECEIVED_PARTITION),
                headers.get(KafkaHeaders.OFFSET), dlq, cause.toString());
        return publisher.send(dlq, deadLetter.build())
                .retryWhen(Retry.backoff(Long.MAX_VALUE, Duration.ofMillis(500)).maxBackoff(Duration.ofSeconds(30))
                        .doBeforeRetry(signal -> log.error("Cannot publish dead letter to {} (attempt {})", dlq,
                                signal.totalRetries() + 1, signal.failure())));
    }

    private static String truncate(String text) {
        return text.length() <= MAX_REASON_LENGTH ? text : text.substring(0, MAX_REASON_LENGTH);
    }
}
