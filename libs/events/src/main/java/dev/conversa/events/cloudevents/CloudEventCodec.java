package dev.conversa.events.cloudevents;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import dev.conversa.events.EventCatalog;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Builds CloudEvents binary-mode Kafka messages and reads them back.
 *
 * <p>Producers: {@link #encode} gives a {@code Message<byte[]>} whose headers are the {@code ce_*} attributes as
 * plain strings and whose payload is the JSON of the event record; the record key is the {@code kafka_messageKey}
 * header (UTF-8 bytes, so Kafka's default partitioner hashes the key string with murmur2). Hand it to
 * {@code StreamBridge} or return it from a function.
 *
 * <p>Consumers: {@link #decode} reads the attributes (whether the header mapper gave them as {@code String} or
 * {@code byte[]}) and binds the JSON payload to the record type the consumer needs; unknown JSON properties are
 * ignored, so producers can add fields without breaking consumers.
 *
 * <p>Why not Spring Cloud Function's {@code CloudEventMessageBuilder}: it stores {@code ce_source} as a {@code URI}
 * and {@code ce_time} as an {@code OffsetDateTime}, which the Kafka header mapper writes as JSON (quoted), so the
 * CloudEvents SDKs of other teams would not read them. {@code CloudEventCodecTest} proves the records this codec
 * makes are read by the official {@code io.cloudevents} Kafka deserializer.
 */
public final class CloudEventCodec {

    /** Spring Kafka's header for the record key ({@code KafkaHeaders.KEY}); named here to keep this lib Kafka-free. */
    public static final String KAFKA_KEY_HEADER = "kafka_messageKey";

    private static final String CANONICAL_PREFIX = "ce-";

    private final JsonMapper json;

    public CloudEventCodec() {
        this(JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build());
    }

    public CloudEventCodec(JsonMapper json) {
        this.json = json;
    }

    /** The mapper used for payloads (ISO-8601 instants, tolerant of unknown properties). */
    public JsonMapper json() {
        return json;
    }

    public Message<byte[]> encode(EventMetadata metadata, Object payload, String key) {
        MessageBuilder<byte[]> builder = MessageBuilder.withPayload(body(metadata, payload))
                .setHeader(CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_1_0)
                .setHeader(CloudEventHeaders.ID, metadata.id())
                .setHeader(CloudEventHeaders.TYPE, metadata.type())
                .setHeader(CloudEventHeaders.SOURCE, metadata.source())
                .setHeader(CloudEventHeaders.TIME, metadata.time().toString())
                .setHeader(CloudEventHeaders.SUBJECT, metadata.subject())
                .setHeader(CloudEventHeaders.TENANT_ID, metadata.tenantId())
                .setHeader(CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON)
                .setHeader(MessageHeaders.CONTENT_TYPE, CloudEventHeaders.JSON)
                .setHeader(KAFKA_KEY_HEADER, key.getBytes(StandardCharsets.UTF_8));
        if (metadata.sessionId() != null) {
            builder.setHeader(CloudEventHeaders.SESSION_ID, metadata.sessionId());
        }
        return builder.build();
    }

    /** The JSON data of an event: what {@link #encode} puts in the record's value. */
    public byte[] body(EventMetadata metadata, Object payload) {
        try {
            return json.writeValueAsBytes(payload);
        }
        catch (JacksonException e) {
            throw new IllegalArgumentException("Cannot serialize payload of " + metadata.type(), e);
        }
    }

    /** Reads the CloudEvents attributes of a record without touching its payload. */
    public EventMetadata metadata(Message<?> message) {
        MessageHeaders headers = message.getHeaders();
        String specVersion = header(headers, CloudEventHeaders.SPEC_VERSION);
        if (!CloudEventHeaders.SPEC_VERSION_1_0.equals(specVersion)) {
            throw new InvalidEventException("Not a CloudEvent 1.0 record (ce_specversion=" + specVersion + ")");
        }
        try {
            return new EventMetadata(
                    required(headers, CloudEventHeaders.ID),
                    required(headers, CloudEventHeaders.TYPE),
                    required(headers, CloudEventHeaders.SOURCE),
                    parseTime(required(headers, CloudEventHeaders.TIME)),
                    required(headers, CloudEventHeaders.SUBJECT),
                    required(headers, CloudEventHeaders.TENANT_ID),
                    header(headers, CloudEventHeaders.SESSION_ID));
        }
        catch (IllegalArgumentException e) {
            throw new InvalidEventException(e.getMessage(), e);
        }
    }

    public <T> EventEnvelope<T> decode(Message<?> message, Class<T> payloadType) {
        return decode(message, metadata(message), payloadType);
    }

    /** Decodes a record whose attributes {@link #metadata} already read. */
    public <T> EventEnvelope<T> decode(Message<?> message, EventMetadata metadata, Class<T> payloadType) {
        Object payload = message.getPayload();
        try {
            T value = switch (payload) {
                case byte[] bytes -> json.readValue(bytes, payloadType);
                case String text -> json.readValue(text, payloadType);
                default -> json.convertValue(payload, payloadType);
            };
            if (value == null) {
                throw new InvalidEventException("Empty payload in " + metadata.type() + " " + metadata.id());
            }
            return new EventEnvelope<>(metadata, value);
        }
        catch (JacksonException | IllegalArgumentException e) {
            throw new InvalidEventException(
                    "Cannot read " + metadata.type() + " " + metadata.id() + " as " + payloadType.getSimpleName(), e);
        }
    }

    /**
     * Decodes a record whose payload record is the one the {@link EventCatalog} names for its {@code ce_type}, for
     * topics that carry several types ({@code wa.commands}). An unknown type is an {@link InvalidEventException}.
     */
    public EventEnvelope<Object> decodeCatalogued(Message<?> message) {
        return decodeCatalogued(message, metadata(message));
    }

    /** Like {@link #decodeCatalogued(Message)}, for a record whose attributes {@link #metadata} already read. */
    public EventEnvelope<Object> decodeCatalogued(Message<?> message, EventMetadata metadata) {
        Class<?> payloadType = EventCatalog.byType(metadata.type())
                .orElseThrow(() -> new InvalidEventException("Unknown event type " + metadata.type() + " in "
                        + metadata.id()))
                .payloadType();
        @SuppressWarnings("unchecked")
        EventEnvelope<Object> envelope = (EventEnvelope<Object>) decode(message, metadata, payloadType);
        return envelope;
    }

    /**
     * All CloudEvents attributes of a message as strings under their Kafka names ({@code ce_*}), e.g. to copy them
     * onto a dead-letter record. Accepts the canonical {@code ce-*} form that Spring Cloud Function gives consumers.
     */
    public static Map<String, String> attributes(MessageHeaders headers) {
        Map<String, String> attributes = new HashMap<>();
        headers.forEach((name, value) -> {
            if (name.startsWith(CloudEventHeaders.PREFIX) || name.startsWith(CANONICAL_PREFIX)) {
                String text = asString(value);
                if (text != null) {
                    attributes.put(CloudEventHeaders.PREFIX + name.substring(CANONICAL_PREFIX.length()), text);
                }
            }
        });
        return attributes;
    }

    private static Instant parseTime(String value) {
        try {
            return OffsetDateTime.parse(value).toInstant();
        }
        catch (DateTimeParseException e) {
            throw new InvalidEventException("ce_time is not an RFC 3339 timestamp: " + value, e);
        }
    }

    private static String required(MessageHeaders headers, String name) {
        String value = header(headers, name);
        if (value == null || value.isBlank()) {
            throw new InvalidEventException("Missing CloudEvent header " + name);
        }
        return value;
    }

    /**
     * Reads attribute {@code ce_x} as sent, or as {@code ce-x}: Spring Cloud Function hands consumers CloudEvents
     * headers in that canonical form.
     */
    private static @Nullable String header(MessageHeaders headers, String name) {
        Object value = headers.get(name);
        if (value == null) {
            value = headers.get(CANONICAL_PREFIX + name.substring(CloudEventHeaders.PREFIX.length()));
        }
        return asString(value);
    }

    private static @Nullable String asString(@Nullable Object value) {
        return switch (value) {
            case null -> null;
            case String text -> text;
            case byte[] bytes -> new String(bytes, StandardCharsets.UTF_8);
            default -> value.toString();
        };
    }
}
