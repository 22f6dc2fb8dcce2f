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
 * @param keyProperty    the payload property (a UUID) whose value is the record key and {@code ce_subject}: the
 *                       topic's key ({@link EventCatalog#keyOf(String)}) unless the event is about another aggregate
 *                       sharing the topic (contact imports on {@code crm.campaign.events} are keyed by importId)
 */
public record EventDescriptor(String type, String topic, Class<?> payloadType, String schemaResource,
        String keyProperty) {

    public EventDescriptor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(schemaResource, "schemaResource");
        Objects.requireNonNull(keyProperty, "keyProperty");
    }

    /** The descriptor of {@code type} on {@code topic}, whose schema is {@code schemas/<payload simple name>.schema.json}. */
    static EventDescriptor of(String type, String topic, Class<?> payloadType) {
        return of(type, topic, payloadType, EventCatalog.keyOf(topic));
    }

    /** Like {@link #of(String, String, Class)}, for an event keyed by another property than its topic's key. */
    static EventDescriptor of(String type, String topic, Class<?> payloadType, String keyProperty) {
        return new EventDescriptor(type, topic, payloadType, schemaResourceOf(payloadType), keyProperty);
    }

    /** Where the JSON Schema of a payload (or nested) record lives on the classpath. */
    public static String schemaResourceOf(Class<?> recordType) {
        return "schemas/" + recordType.getSimpleName() + ".schema.json";
    }
}
