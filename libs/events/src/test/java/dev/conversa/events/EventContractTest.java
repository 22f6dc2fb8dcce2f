package dev.conversa.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.ValidationMessage;

import dev.conversa.events.cloudevents.CloudEventCodec;
import dev.conversa.events.command.MediaRef;
import dev.conversa.events.command.ReadRequested;
import dev.conversa.events.message.DeliveryStatus;
import tools.jackson.databind.json.JsonMapper;

/**
 * The contract between producers and consumers: every event's sample payload, serialized as producers serialize it,
 * is valid against the event's JSON Schema, and every schema describes its record exactly (same properties, required
 * = not {@code @Nullable}, same types and enum values), so a record changed without its schema fails here.
 */
class EventContractTest {

    private static final JsonMapper JSON = new CloudEventCodec().json();

    static Stream<Arguments> samples() {
        return EventCatalog.all().stream().flatMap(descriptor -> {
            List<Object> samples = SamplePayloads.of(descriptor.type());
            return IntStream.range(0, samples.size())
                    .mapToObj(i -> Arguments.of(descriptor.type(), i, descriptor, samples.get(i)));
        });
    }

    /** Every record a schema file describes: the payloads and the records nested in them. */
    static Stream<Class<?>> schemaRecords() {
        Set<Class<?>> records = new LinkedHashSet<>();
        EventCatalog.all().forEach(descriptor -> collectRecords(descriptor.payloadType(), records));
        return records.stream();
    }

    @Test
    void everyCatalogTypeHasSamplesOfItsPayloadType() {
        for (EventDescriptor descriptor : EventCatalog.all()) {
            assertThat(SamplePayloads.of(descriptor.type()))
                    .as("samples of %s (add them to SamplePayloads)", descriptor.type())
                    .isNotEmpty()
                    .allSatisfy(sample -> assertThat(sample).isInstanceOf(descriptor.payloadType()));
        }
    }

    @ParameterizedTest(name = "{0} sample {1}")
    @MethodSource("samples")
    void serializedSampleIsValidAgainstItsSchema(String type, int index, EventDescriptor descriptor, Object sample) {
        byte[] json = JSON.writeValueAsBytes(sample);

        assertThat(JsonSchemas.validate(descriptor.schemaResource(), json))
                .as("%s against %s", new String(json), descriptor.schemaResource())
                .isEmpty();
    }

    @ParameterizedTest(name = "{0} sample {1}")
    @MethodSource("samples")
    void serializedSampleReadsBackEqual(String type, int index, EventDescriptor descriptor, Object sample) {
        byte[] json = JSON.writeValueAsBytes(sample);

        assertThat(JSON.readValue(json, descriptor.payloadType())).isEqualTo(sample);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaRecords")
    void schemaPropertiesAreExactlyTheRecordComponents(Class<?> record) {
        JsonNode schema = schemaOf(record);

        assertThat(schema.path("type").asText()).isEqualTo("object");
        assertThat(schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean())
                .as("additionalProperties: false").isTrue();
        assertThat(fieldNames(schema.path("properties")))
                .containsExactlyElementsOf(Arrays.stream(record.getRecordComponents()).map(RecordComponent::getName)
                        .toList());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaRecords")
    void schemaRequiresExactlyTheComponentsThatAreNotNullable(Class<?> record) {
        List<String> notNullable = Arrays.stream(record.getRecordComponents())
                .filter(component -> !isNullable(component))
                .map(RecordComponent::getName)
                .toList();

        assertThat(texts(schemaOf(record).path("required"))).containsExactlyInAnyOrderElementsOf(notNullable);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("schemaRecords")
    void schemaPropertyTypesMatchTheComponentTypes(Class<?> record) {
        JsonNode properties = schemaOf(record).path("properties");
        for (RecordComponent component : record.getRecordComponents()) {
            JsonNode property = properties.path(component.getName());
            String what = record.getSimpleName() + "." + component.getName();
            assertThat(allowsNull(property)).as("%s accepts null", what).isEqualTo(isNullable(component));

            Class<?> type = component.getType();
            if (type.isRecord()) {
                assertThat(refOf(property)).as("%s $ref", what).isEqualTo("./" + type.getSimpleName() + ".schema.json");
                continue;
            }
            assertThat(types(property)).as("%s type", what).containsExactly(jsonType(type));
            if (type == UUID.class) {
                assertThat(property.path("format").asText()).as("%s format", what).isEqualTo("uuid");
            }
            if (type == Instant.class) {
                assertThat(property.path("format").asText()).as("%s format", what).isEqualTo("date-time");
            }
            if (type.isEnum()) {
                List<@Nullable String> values = new ArrayList<>(wireValues(type));
                if (isNullable(component)) {
                    values.add(null);
                }
                assertThat(texts(property.path("enum"))).as("%s enum", what).containsExactlyElementsOf(values);
            }
            if (type == List.class) {
                Class<?> element = elementType(component);
                assertThat(types(property.path("items"))).as("%s items", what).containsExactly(jsonType(element));
            }
        }
    }

    @Test
    void everySchemaIsAValidDraft202012Schema() {
        schemaRecords().forEach(record -> {
            String resource = EventDescriptor.schemaResourceOf(record);
            assertThat(JsonSchemas.metaSchema().validate(JsonSchemas.resource(resource))).as(resource).isEmpty();
            assertThat(JsonSchemas.resource(resource).path("$schema").asText()).isEqualTo(JsonSchemas.META_SCHEMA);
        });
    }

    @Test
    void phoneNumberWithoutPlusIsRejected() {
        ObjectNode json = sampleJson(SamplePayloads.sendText());
        json.put("to", "5215587654321");

        assertThat(keywords(JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_SEND_REQUESTED), json)))
                .contains("pattern");
    }

    @Test
    void unknownStatusIsRejected() {
        ObjectNode json = sampleJson(SamplePayloads.status(DeliveryStatus.DELIVERED));
        json.put("status", "bounced");

        assertThat(keywords(JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_DELIVERED), json))).contains("enum");
    }

    @Test
    void missingOrNullRequiredPropertyIsRejected() {
        ObjectNode missing = sampleJson(SamplePayloads.status(DeliveryStatus.SENT));
        missing.remove("recipient");
        ObjectNode nulled = sampleJson(SamplePayloads.status(DeliveryStatus.SENT));
        nulled.putNull("tenantId");

        assertThat(keywords(JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_SENT), missing))).contains("required");
        assertThat(keywords(JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_SENT), nulled))).contains("type");
    }

    @Test
    void unknownPropertyIsRejected() {
        ObjectNode json = sampleJson(SamplePayloads.receivedText());
        json.put("senderName", "Ana");

        assertThat(keywords(JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_RECEIVED), json)))
                .contains("additionalProperties");
    }

    @Test
    void malformedUuidAndTimestampAreRejected() {
        ObjectNode json = sampleJson(SamplePayloads.receivedText());
        json.put("sessionId", "session-1");
        json.put("receivedAt", "23/11/2026 14:05");

        Set<ValidationMessage> errors = JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_RECEIVED), json);

        assertThat(errors).extracting(error -> error.getInstanceLocation().toString())
                .contains("/sessionId", "/receivedAt");
        assertThat(keywords(errors)).containsOnly("format");
    }

    @Test
    void invalidNestedObjectIsRejectedThroughItsReference() {
        ObjectNode json = sampleJson(SamplePayloads.receivedText());
        json.put("type", "image");
        json.putObject("media").put("mimeType", "image/png").put("fileSize", -5);

        Set<ValidationMessage> errors = JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_RECEIVED), json);

        assertThat(errors).extracting(error -> error.getInstanceLocation().toString()).contains("/media/fileSize");
    }

    @Test
    void mediaWithNeitherStoredIdNorUrlIsRejectedByRecordAndSchema() {
        ObjectNode json = sampleJson(SamplePayloads.sendText());
        json.put("type", "image");
        json.putObject("media").put("mimeType", "image/png");

        assertThat(JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_SEND_REQUESTED), json)).isNotEmpty();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new MediaRef(null, "image/png", null, null, null));
    }

    @Test
    void readRequestWithNoneOrMoreThan100IdsIsRejectedByRecordAndSchema() {
        ObjectNode none = sampleJson(SamplePayloads.readRequested());
        none.putArray("waMessageIds");
        ObjectNode tooMany = sampleJson(SamplePayloads.readRequested());
        IntStream.rangeClosed(0, ReadRequested.MAX_IDS).forEach(i -> tooMany.withArray("waMessageIds").add("wamid." + i));
        ObjectNode blank = sampleJson(SamplePayloads.readRequested());
        blank.withArray("waMessageIds").add("");

        assertThat(keywords(JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_READ_REQUESTED), none)))
                .containsExactly("minItems");
        assertThat(keywords(JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_READ_REQUESTED), tooMany)))
                .containsExactly("maxItems");
        assertThat(keywords(JsonSchemas.validate(schemaOf(EventTypes.MESSAGE_READ_REQUESTED), blank)))
                .containsExactly("minLength");
        ReadRequested sample = SamplePayloads.readRequested();
        List<String> hundred = IntStream.range(0, ReadRequested.MAX_IDS).mapToObj(i -> "wamid." + i).toList();
        assertThat(new ReadRequested(sample.tenantId(), sample.sessionId(), sample.contactPhone(), hundred,
                sample.requestedBy(), sample.requestedAt()).waMessageIds()).hasSize(ReadRequested.MAX_IDS);
        assertThatIllegalArgumentException().isThrownBy(() -> new ReadRequested(sample.tenantId(),
                sample.sessionId(), sample.contactPhone(), List.of(), sample.requestedBy(), sample.requestedAt()));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReadRequested(sample.tenantId(),
                sample.sessionId(), sample.contactPhone(), Stream.concat(hundred.stream(), Stream.of("wamid.x"))
                        .toList(), sample.requestedBy(), sample.requestedAt()));
        assertThatIllegalArgumentException().isThrownBy(() -> new ReadRequested(sample.tenantId(),
                sample.sessionId(), sample.contactPhone(), List.of(" "), sample.requestedBy(), sample.requestedAt()));
    }

    @Test
    void readRequestCopiesItsIds() {
        List<String> ids = new ArrayList<>(List.of("wamid.1"));
        ReadRequested sample = SamplePayloads.readRequested();
        ReadRequested request = new ReadRequested(sample.tenantId(), sample.sessionId(), sample.contactPhone(), ids,
                sample.requestedBy(), sample.requestedAt());
        ids.add("wamid.2");

        assertThat(request.waMessageIds()).containsExactly("wamid.1");
        assertThatThrownBy(() -> request.waMessageIds().add("wamid.3"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    private static String schemaOf(String type) {
        return EventCatalog.byType(type).orElseThrow().schemaResource();
    }

    private static JsonNode schemaOf(Class<?> record) {
        return JsonSchemas.resource(EventDescriptor.schemaResourceOf(record));
    }

    private static ObjectNode sampleJson(Object sample) {
        return (ObjectNode) JsonSchemas.tree(JSON.writeValueAsBytes(sample));
    }

    private static List<String> keywords(Set<ValidationMessage> errors) {
        return errors.stream().map(ValidationMessage::getType).toList();
    }

    private static void collectRecords(Class<?> record, Set<Class<?>> into) {
        if (!into.add(record)) {
            return;
        }
        for (RecordComponent component : record.getRecordComponents()) {
            if (component.getType().isRecord()) {
                collectRecords(component.getType(), into);
            }
        }
    }

    private static boolean isNullable(RecordComponent component) {
        return component.getAnnotatedType().isAnnotationPresent(Nullable.class);
    }

    private static boolean allowsNull(JsonNode property) {
        return rawTypes(property).contains("null") && !property.has("enum")
                || property.has("enum") && texts(property.path("enum")).contains(null)
                || StreamSupport.stream(property.path("oneOf").spliterator(), false)
                        .anyMatch(branch -> "null".equals(branch.path("type").asText()));
    }

    /** The JSON types a property allows besides null. */
    private static List<String> types(JsonNode property) {
        return rawTypes(property).stream().filter(type -> !"null".equals(type)).toList();
    }

    private static List<@Nullable String> rawTypes(JsonNode property) {
        JsonNode type = property.path("type");
        return type.isArray() ? texts(type) : type.isTextual() ? List.of(type.asText()) : List.of();
    }

    private static @Nullable String refOf(JsonNode property) {
        if (property.has("$ref")) {
            return property.path("$ref").asText();
        }
        for (JsonNode branch : property.path("oneOf")) {
            if (branch.has("$ref")) {
                return branch.path("$ref").asText();
            }
        }
        return null;
    }

    private static String jsonType(Class<?> type) {
        if (type == String.class || type == UUID.class || type == Instant.class || type.isEnum()) {
            return "string";
        }
        if (type == int.class || type == long.class || type == Integer.class || type == Long.class) {
            return "integer";
        }
        if (type == double.class || type == Double.class) {
            return "number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "boolean";
        }
        if (type == List.class) {
            return "array";
        }
        throw new AssertionError("No JSON type known for " + type + ": teach EventContractTest");
    }

    private static List<String> wireValues(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(constant -> JSON.convertValue(constant, String.class))
                .toList();
    }

    private static Class<?> elementType(RecordComponent component) {
        Type generic = component.getGenericType();
        if (generic instanceof ParameterizedType parameterized
                && parameterized.getActualTypeArguments()[0] instanceof Class<?> element) {
            return element;
        }
        throw new AssertionError("Raw list " + component);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<@Nullable String> texts(JsonNode array) {
        List<@Nullable String> texts = new ArrayList<>();
        array.forEach(item -> texts.add(item.isNull() ? null : item.asText()));
        return texts;
    }
}
