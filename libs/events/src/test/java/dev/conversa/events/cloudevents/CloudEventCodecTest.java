package dev.conversa.events.cloudevents;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.support.JsonKafkaHeaderMapper;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import dev.conversa.events.EventTypes;
import dev.conversa.events.SamplePayloads;
import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.message.DeliveryStatus;
import dev.conversa.events.message.MessageReceived;
import dev.conversa.events.message.MessageStatusChanged;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.CloudEventDeserializer;
import io.cloudevents.kafka.CloudEventSerializer;

class CloudEventCodecTest {

    private static final String TOPIC = "wa.message.inbound";

    private final CloudEventCodec codec = new CloudEventCodec();

    private final EventMetadata metadata = new EventMetadata("0193a600-0000-7000-8000-00000000abcd",
            EventTypes.MESSAGE_RECEIVED, "/session-service", Instant.parse("2026-11-23T14:05:30.123Z"),
            SamplePayloads.SESSION_ID.toString(), SamplePayloads.TENANT, SamplePayloads.SESSION_ID.toString());

    @Test
    void encodeThenDecodeKeepsEveryAttributeAndThePayload() {
        MessageReceived payload = SamplePayloads.receivedText();

        Message<byte[]> message = codec.encode(metadata, payload, metadata.subject());
        EventEnvelope<MessageReceived> event = codec.decode(message, MessageReceived.class);

        assertThat(event.metadata()).isEqualTo(metadata);
        assertThat(event.payload()).isEqualTo(payload);
        assertThat(event.id()).isEqualTo(metadata.id());
        assertThat(event.type()).isEqualTo(EventTypes.MESSAGE_RECEIVED);
        assertThat(event.tenantId()).isEqualTo(SamplePayloads.TENANT);
    }

    @Test
    void decodeCataloguedReadsEachCommandAsThePayloadItsTypeNames() {
        SendMessageRequested send = SamplePayloads.sendText();
        EventMetadata sendMetadata = EventMetadata.of(EventTypes.MESSAGE_SEND_REQUESTED, "/message-service",
                send.sessionId().toString(), send.tenantId(), send.sessionId().toString());

        EventEnvelope<Object> event = codec.decodeCatalogued(codec.encode(sendMetadata, send, sendMetadata.subject()));

        assertThat(event.payload()).isInstanceOf(SendMessageRequested.class).isEqualTo(send);
    }

    @Test
    void decodeCataloguedRefusesATypeTheCatalogDoesNotKnow() {
        EventMetadata unknown = EventMetadata.of("conversa.session.teleport-requested.v1", "/somewhere",
                SamplePayloads.SESSION_ID.toString(), SamplePayloads.TENANT, SamplePayloads.SESSION_ID.toString());
        Message<byte[]> message = codec.encode(unknown, SamplePayloads.sendText(), unknown.subject());

        assertThatExceptionOfType(InvalidEventException.class).isThrownBy(() -> codec.decodeCatalogued(message))
                .withMessageContaining("Unknown event type");
    }

    @Test
    void encodeWritesBinaryModeHeadersAsStringsAndTheKeyAsBytes() {
        Message<byte[]> message = codec.encode(metadata, SamplePayloads.receivedText(), metadata.subject());

        assertThat(message.getHeaders())
                .containsEntry(CloudEventHeaders.SPEC_VERSION, "1.0")
                .containsEntry(CloudEventHeaders.ID, metadata.id())
                .containsEntry(CloudEventHeaders.TYPE, EventTypes.MESSAGE_RECEIVED)
                .containsEntry(CloudEventHeaders.SOURCE, "/session-service")
                .containsEntry(CloudEventHeaders.TIME, "2026-11-23T14:05:30.123Z")
                .containsEntry(CloudEventHeaders.SUBJECT, SamplePayloads.SESSION_ID.toString())
                .containsEntry(CloudEventHeaders.TENANT_ID, SamplePayloads.TENANT)
                .containsEntry(CloudEventHeaders.SESSION_ID, SamplePayloads.SESSION_ID.toString())
                .containsEntry(CloudEventHeaders.CONTENT_TYPE, "application/json");
        assertThat((byte[]) message.getHeaders().get(CloudEventCodec.KAFKA_KEY_HEADER))
                .isEqualTo(SamplePayloads.SESSION_ID.toString().getBytes(StandardCharsets.UTF_8));
        assertThat(new String(message.getPayload(), StandardCharsets.UTF_8))
                .contains("\"waMessageId\":\"" + SamplePayloads.WA_MESSAGE_ID + "\"")
                .contains("\"timestamp\":\"2026-11-23T14:05:28.123456Z\"");
    }

    @Test
    void eventWithoutSessionHasNoSessionHeader() {
        EventMetadata withoutSession = new EventMetadata(metadata.id(), EventTypes.CAMPAIGN_PROGRESS,
                "/campaign-service", metadata.time(), SamplePayloads.CAMPAIGN_ID.toString(), SamplePayloads.TENANT,
                null);

        Message<byte[]> message = codec.encode(withoutSession, SamplePayloads.receivedText(), "key");

        assertThat(message.getHeaders()).doesNotContainKey(CloudEventHeaders.SESSION_ID);
        assertThat(codec.metadata(message).sessionId()).isNull();
    }

    @Test
    void recordWithoutIdIsInvalid() {
        Message<byte[]> message = MessageBuilder
                .fromMessage(codec.encode(metadata, SamplePayloads.receivedText(), metadata.subject()))
                .removeHeader(CloudEventHeaders.ID)
                .build();

        assertThatExceptionOfType(InvalidEventException.class)
                .isThrownBy(() -> codec.decode(message, MessageReceived.class))
                .withMessageContaining("ce_id");
    }

    @Test
    void recordThatIsNotCloudEventsOneZeroIsInvalid() {
        Message<byte[]> message = MessageBuilder
                .fromMessage(codec.encode(metadata, SamplePayloads.receivedText(), metadata.subject()))
                .removeHeader(CloudEventHeaders.SPEC_VERSION)
                .build();

        assertThatExceptionOfType(InvalidEventException.class)
                .isThrownBy(() -> codec.decode(message, MessageReceived.class));
    }

    @Test
    void recordWithUnreadableTimeIsInvalid() {
        Message<byte[]> message = MessageBuilder
                .fromMessage(codec.encode(metadata, SamplePayloads.receivedText(), metadata.subject()))
                .setHeader(CloudEventHeaders.TIME, "yesterday")
                .build();

        assertThatExceptionOfType(InvalidEventException.class)
                .isThrownBy(() -> codec.decode(message, MessageReceived.class))
                .withMessageContaining("ce_time");
    }

    @Test
    void brokenPayloadIsInvalid() {
        Message<byte[]> message = MessageBuilder.withPayload("{\"tenantId\": \"acme\", ".getBytes(StandardCharsets.UTF_8))
                .copyHeaders(codec.encode(metadata, SamplePayloads.receivedText(), metadata.subject()).getHeaders())
                .build();

        assertThatExceptionOfType(InvalidEventException.class)
                .isThrownBy(() -> codec.decode(message, MessageReceived.class))
                .withMessageContaining(metadata.id());
    }

    @Test
    void payloadMissingARequiredFieldIsInvalid() {
        Message<byte[]> message = MessageBuilder
                .withPayload("{\"tenantId\":\"acme-mx\",\"waMessageId\":\"wamid.1\"}".getBytes(StandardCharsets.UTF_8))
                .copyHeaders(codec.encode(metadata, SamplePayloads.receivedText(), metadata.subject()).getHeaders())
                .build();

        assertThatExceptionOfType(InvalidEventException.class)
                .isThrownBy(() -> codec.decode(message, MessageReceived.class));
    }

    @Test
    void headerValuesGivenAsBytesAreRead() {
        Message<byte[]> encoded = codec.encode(metadata, SamplePayloads.receivedText(), metadata.subject());
        Map<String, Object> bytesHeaders = new HashMap<>();
        encoded.getHeaders().forEach((name, value) -> bytesHeaders.put(name,
                value instanceof String text ? text.getBytes(StandardCharsets.UTF_8) : value));
        Message<byte[]> message = MessageBuilder.createMessage(encoded.getPayload(), new MessageHeaders(bytesHeaders));

        EventEnvelope<MessageReceived> event = codec.decode(message, MessageReceived.class);

        assertThat(event.metadata()).isEqualTo(metadata);
        assertThat(event.payload()).isEqualTo(SamplePayloads.receivedText());
    }

    @Test
    void consumerBindsOnlyTheFieldsItNeedsAndIgnoresNewOnes() {
        record StatusView(UUID messageId, DeliveryStatus status) {
        }
        String json = new String(codec.json().writeValueAsBytes(SamplePayloads.status(DeliveryStatus.READ)),
                StandardCharsets.UTF_8).replaceFirst("\\{", "{\"addedInV1_1\":\"ignored\",");
        Message<byte[]> message = MessageBuilder.withPayload(json.getBytes(StandardCharsets.UTF_8))
                .copyHeaders(codec.encode(metadata, SamplePayloads.receivedText(), metadata.subject()).getHeaders())
                .build();

        assertThat(codec.decode(message, StatusView.class).payload())
                .isEqualTo(new StatusView(SamplePayloads.MESSAGE_ID, DeliveryStatus.READ));
        assertThat(codec.decode(message, MessageStatusChanged.class).payload())
                .isEqualTo(SamplePayloads.status(DeliveryStatus.READ));
    }

    @Test
    void attributesCollectsTheCloudEventsHeadersAsStrings() {
        Message<byte[]> message = codec.encode(metadata, SamplePayloads.receivedText(), metadata.subject());

        assertThat(CloudEventCodec.attributes(message.getHeaders()))
                .containsEntry(CloudEventHeaders.ID, metadata.id())
                .containsEntry(CloudEventHeaders.TENANT_ID, SamplePayloads.TENANT)
                .doesNotContainKeys(CloudEventCodec.KAFKA_KEY_HEADER, CloudEventHeaders.CONTENT_TYPE)
                .hasSize(8);
    }

    @Test
    void cloudEventsSdkReadsWhatTheStreamBinderWrites() {
        SendMessageRequested payload = SamplePayloads.sendText();
        EventMetadata command = new EventMetadata(metadata.id(), EventTypes.MESSAGE_SEND_REQUESTED,
                "/message-service", metadata.time(), SamplePayloads.SESSION_ID.toString(), SamplePayloads.TENANT,
                SamplePayloads.SESSION_ID.toString());
        Message<byte[]> message = codec.encode(command, payload, command.subject());
        RecordHeaders kafkaHeaders = new RecordHeaders();
        new JsonKafkaHeaderMapper().fromHeaders(message.getHeaders(), kafkaHeaders);

        CloudEvent event;
        try (CloudEventDeserializer deserializer = new CloudEventDeserializer()) {
            event = deserializer.deserialize("wa.commands", kafkaHeaders, message.getPayload());
        }

        assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(event.getId()).isEqualTo(command.id());
        assertThat(event.getType()).isEqualTo(EventTypes.MESSAGE_SEND_REQUESTED);
        assertThat(event.getSource()).isEqualTo(URI.create("/message-service"));
        assertThat(event.getTime()).isEqualTo(OffsetDateTime.ofInstant(command.time(), ZoneOffset.UTC));
        assertThat(event.getSubject()).isEqualTo(SamplePayloads.SESSION_ID.toString());
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(event.getExtension("tenantid")).isEqualTo(SamplePayloads.TENANT);
        assertThat(event.getExtension("sessionid")).isEqualTo(SamplePayloads.SESSION_ID.toString());
        assertThat(event.getData()).isNotNull();
        assertThat(codec.json().readValue(event.getData().toBytes(), SendMessageRequested.class)).isEqualTo(payload);
    }

    @Test
    void codecReadsWhatTheCloudEventsSdkWrites() {
        MessageReceived payload = SamplePayloads.receivedText();
        CloudEvent event = CloudEventBuilder.v1()
                .withId(metadata.id())
                .withType(EventTypes.MESSAGE_RECEIVED)
                .withSource(URI.create("/session-service"))
                .withTime(OffsetDateTime.ofInstant(metadata.time(), ZoneOffset.UTC))
                .withSubject(metadata.subject())
                .withDataContentType("application/json")
                .withExtension("tenantid", SamplePayloads.TENANT)
                .withExtension("sessionid", SamplePayloads.SESSION_ID.toString())
                .withData(codec.json().writeValueAsBytes(payload))
                .build();
        RecordHeaders kafkaHeaders = new RecordHeaders();
        byte[] value;
        try (CloudEventSerializer serializer = new CloudEventSerializer()) {
            serializer.configure(Map.of(), false);
            value = serializer.serialize(TOPIC, kafkaHeaders, event);
        }
        Map<String, Object> springHeaders = new HashMap<>();
        new JsonKafkaHeaderMapper().toHeaders(kafkaHeaders, springHeaders);

        EventEnvelope<MessageReceived> decoded = codec.decode(MessageBuilder.createMessage(value,
                new MessageHeaders(springHeaders)), MessageReceived.class);

        assertThat(decoded.metadata()).isEqualTo(metadata);
        assertThat(decoded.payload()).isEqualTo(payload);
    }
}
