package dev.conversa.events;

import java.util.Objects;

/**
 * One entry of the {@link EventCatalog}: a CloudEvents type, the topic it travels on, the record of its payload and
 * the JSON Schema of that payload.
 *
 * @param type           the CloudEvents type, e.g. {@code conversa.message.received.v1}
 * @param topic          the Kafka topic, one of {@link Topics#ALL}
 * @param payloadType    the payload record
 * @param schemaResource the classpath resource of the payload's JSON Schema, e.g.
 *                       {@code schemas/MessageReceived.schema.json}
 */
public record EventDescriptor(String type, String topic, Class<?> payloadType, String schemaResource) {

    public EventDescriptor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(schemaResource, "schemaResource");
    }

    /** The descriptor of {@code type} on {@code topic}, whose schema is {@code schemas/<payload simple name>.schema.json}. */
    static EventDescriptor of(String type, String topic, Class<?> payloadType) {
        return new EventDescriptor(type, topic, payloadType, schemaResourceOf(payloadType));
    }

    /** Where the JSON Schema of a payload (or nested) record lives on the classpath. */
    public static String schemaResourceOf(Class<?> recordType) {
        return "schemas/" + recordType.getSimpleName() + ".schema.json";
    }
}
