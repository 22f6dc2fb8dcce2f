package dev.conversa.events.cloudevents;

/** An event read back from a record: its CloudEvents attributes and its decoded payload. */
public record EventEnvelope<T>(EventMetadata metadata, T payload) {

    public String id() {
        return metadata.id();
    }

    public String type() {
        return metadata.type();
    }

    public String tenantId() {
        return metadata.tenantId();
    }
}
