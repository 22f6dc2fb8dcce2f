package dev.conversa.events.cloudevents;

/**
 * Kafka header names of CloudEvents 1.0 in binary mode (Kafka protocol binding: prefix {@code ce_}),
 * plus Conversa's extensions. Values travel as plain UTF-8 strings, which is what the CloudEvents SDKs read.
 */
public final class CloudEventHeaders {

    public static final String PREFIX = "ce_";
    public static final String SPEC_VERSION = PREFIX + "specversion";
    public static final String ID = PREFIX + "id";
    public static final String TYPE = PREFIX + "type";
    public static final String SOURCE = PREFIX + "source";
    public static final String TIME = PREFIX + "time";
    public static final String SUBJECT = PREFIX + "subject";
    /** Extension: the tenant the event belongs to. Always present. */
    public static final String TENANT_ID = PREFIX + "tenantid";
    /** Extension: the WhatsApp session the event concerns, where there is one. */
    public static final String SESSION_ID = PREFIX + "sessionid";
    /** Binary mode: the data content type is the Kafka record's content-type header. */
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";

    private CloudEventHeaders() {
    }
}
