package dev.conversa.events;

import static java.util.stream.Collectors.toCollection;
import static java.util.stream.Collectors.toSet;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** {@code asyncapi.yaml} documents exactly the {@link EventCatalog}: its topics, types, schemas, keys and services. */
class AsyncApiDocumentTest {

    private static final String DOCUMENT = "asyncapi.yaml";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();

    /** DESIGN.md, "Services and what each owns": who produces and who consumes each topic. */
    private static final Map<String, Set<String>> PRODUCERS = Map.of(
            Topics.WA_COMMANDS, Set.of("message-service", "campaign-service", "session-service"),
            Topics.WA_SESSION_EVENTS, Set.of("session-service"),
            Topics.WA_MESSAGE_INBOUND, Set.of("session-service"),
            Topics.WA_MESSAGE_STATUS, Set.of("session-service"),
            Topics.CRM_CONVERSATION_EVENTS, Set.of("message-service", "distribution-service"),
            Topics.CRM_CAMPAIGN_EVENTS, Set.of("campaign-service"));
    private static final Map<String, Set<String>> CONSUMERS = Map.of(
            Topics.WA_COMMANDS, Set.of("session-service", "message-service"),
            Topics.WA_SESSION_EVENTS, Set.of("notification-service"),
            Topics.WA_MESSAGE_INBOUND, Set.of("message-service", "notification-service"),
            Topics.WA_MESSAGE_STATUS, Set.of("message-service", "campaign-service", "notification-service"),
            Topics.CRM_CONVERSATION_EVENTS, Set.of("distribution-service", "notification-service"),
            Topics.CRM_CAMPAIGN_EVENTS, Set.of("notification-service"));

    private static JsonNode doc;

    @BeforeAll
    static void readDocument() {
        doc = read(DOCUMENT);
    }

    @Test
    void isAnAsyncApi3DocumentWithAKafkaServer() {
        assertThat(doc.path("asyncapi").asString()).isEqualTo("3.0.0");
        assertThat(doc.path("info").path("title").asString()).isNotBlank();
        assertThat(doc.path("servers").values()).isNotEmpty()
                .allSatisfy(server -> assertThat(server.path("protocol").asString()).isEqualTo("kafka"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.conversa.events.EventCatalog#all")
    void catalogTypeIsAMessageOfTheChannelOfItsTopic(EventDescriptor descriptor) {
        JsonNode channel = channel(descriptor.topic());

        List<JsonNode> messages = messagesOf(channel).stream()
                .filter(message -> message.path("name").asString().equals(descriptor.type()))
                .toList();

        assertThat(messages).as("messages named %s on %s", descriptor.type(), descriptor.topic()).hasSize(1);
        JsonNode message = messages.getFirst();
        assertThat(message.path("payload").path("$ref").asString()).isEqualTo("./" + descriptor.schemaResource());
        assertThat(message.path("contentType").asString()).isEqualTo("application/json");
        assertThat(headerConst(message, "ce_type")).isEqualTo(descriptor.type());
        assertThat(resolve(message.path("bindings")).path("kafka").path("key").path("description").asString())
                .startsWith("The " + descriptor.keyProperty());
    }

    @Test
    void documentHasNoMessageOutsideTheCatalog() {
        Set<String> names = doc.path("components").path("messages").values().stream()
                .map(message -> message.path("name").asString())
                .collect(toSet());

        assertThat(names).containsExactlyInAnyOrderElementsOf(
                EventCatalog.all().stream().map(EventDescriptor::type).toList());
        for (String topic : Topics.ALL) {
            assertThat(messagesOf(channel(topic))).extracting(message -> message.path("name").asString())
                    .as("messages of %s", topic)
                    .containsExactlyInAnyOrderElementsOf(
                            EventCatalog.ofTopic(topic).stream().map(EventDescriptor::type).toList());
        }
    }

    @Test
    void everyTopicHasADeadLetterChannelWithTheSameMessages() {
        for (String topic : Topics.ALL) {
            assertThat(messagesOf(channel(Topics.dlq(topic))))
                    .as("messages of %s", Topics.dlq(topic))
                    .containsExactlyInAnyOrderElementsOf(messagesOf(channel(topic)));
        }
    }

    @Test
    void sessionHeaderIsRequiredWhereTheEventHasASession() {
        for (EventDescriptor descriptor : EventCatalog.all()) {
            JsonNode message = message(descriptor.type());
            boolean hasSession = Arrays.stream(descriptor.payloadType().getRecordComponents())
                    .anyMatch(component -> component.getName().equals("sessionId"));

            assertThat(requiredHeaders(message.path("headers")))
                    .as("required headers of %s", descriptor.type())
                    .contains("ce_specversion", "ce_id", "ce_type", "ce_source", "ce_time", "ce_subject",
                            "ce_tenantid")
                    .matches(required -> required.contains("ce_sessionid") == hasSession, "ce_sessionid iff session");
            assertThat(headerProperties(message.path("headers"))).contains("traceparent");
        }
    }

    @Test
    void operationsFollowTheServiceTableOfTheDesign() {
        Map<String, Set<String>> senders = new HashMap<>();
        Map<String, Set<String>> receivers = new HashMap<>();
        for (JsonNode operation : doc.path("operations").values()) {
            String topic = resolve(operation.path("channel")).path("address").asString();
            String service = operation.path("tags").path(0).path("name").asString();
            Map<String, Set<String>> byTopic = switch (operation.path("action").asString()) {
                case "send" -> senders;
                case "receive" -> receivers;
                default -> throw new AssertionError("action of " + operation);
            };
            byTopic.computeIfAbsent(topic, t -> new TreeSet<>()).add(service);
        }

        assertThat(senders).isEqualTo(PRODUCERS);
        assertThat(receivers).isEqualTo(CONSUMERS);
    }

    @Test
    void operationMessagesBelongToTheOperationsChannel() {
        for (Map.Entry<String, JsonNode> operation : doc.path("operations").properties()) {
            String channelRef = operation.getValue().path("channel").path("$ref").asString();
            assertThat(operation.getValue().path("messages").values()).as(operation.getKey()).isNotEmpty()
                    .allSatisfy(message -> assertThat(message.path("$ref").asString())
                            .startsWith(channelRef + "/messages/"));
        }
    }

    @Test
    void sourceOfEveryMessageIsTheServicesThatSendIt() {
        Map<String, Set<String>> sendersOfType = new HashMap<>();
        for (JsonNode operation : doc.path("operations").values()) {
            if (operation.path("action").asString().equals("send")) {
                String service = operation.path("tags").path(0).path("name").asString();
                operation.path("messages").values().forEach(message -> sendersOfType
                        .computeIfAbsent(resolve(message).path("name").asString(), t -> new TreeSet<>())
                        .add("/" + service));
            }
        }
        for (EventDescriptor descriptor : EventCatalog.all()) {
            JsonNode sources = headerSchema(message(descriptor.type()), "ce_source").path("enum");
            assertThat(sources.values().stream().map(JsonNode::asString).collect(toSet()))
                    .as("ce_source of %s", descriptor.type())
                    .isNotEmpty()
                    .isEqualTo(sendersOfType.get(descriptor.type()));
        }
    }

    @Test
    void everyReferenceResolvesAndEveryReferencedSchemaFileExists() {
        Set<String> visitedFiles = new HashSet<>();
        Deque<String> files = new ArrayDeque<>(List.of(DOCUMENT));
        while (!files.isEmpty()) {
            String file = files.pop();
            if (!visitedFiles.add(file)) {
                continue;
            }
            assertThat(JsonSchemas.exists(file)).as("referenced file %s", file).isTrue();
            JsonNode root = file.equals(DOCUMENT) ? doc : read(file);
            for (String ref : refs(root)) {
                if (ref.startsWith("#")) {
                    assertThat(root.at(ref.substring(1)).isMissingNode()).as("%s in %s", ref, file).isFalse();
                }
                else {
                    files.push(URI.create(file).resolve(ref).toString());
                }
            }
        }
        assertThat(visitedFiles).containsAll(EventCatalog.all().stream().map(EventDescriptor::schemaResource)
                .collect(toCollection(TreeSet::new)));
    }

    private static JsonNode channel(String address) {
        List<JsonNode> channels = doc.path("channels").values().stream()
                .filter(channel -> channel.path("address").asString().equals(address))
                .toList();
        assertThat(channels).as("channels with address %s", address).hasSize(1);
        return channels.getFirst();
    }

    private static List<JsonNode> messagesOf(JsonNode channel) {
        return channel.path("messages").values().stream().map(AsyncApiDocumentTest::resolve).toList();
    }

    private static JsonNode message(String type) {
        return doc.path("components").path("messages").values().stream()
                .filter(message -> message.path("name").asString().equals(type))
                .findFirst()
                .orElseThrow();
    }

    /** Follows a local {@code $ref} (and refs to refs) inside the document. */
    private static JsonNode resolve(JsonNode node) {
        JsonNode current = node;
        while (current.has("$ref")) {
            String ref = current.path("$ref").asString();
            assertThat(ref).startsWith("#/");
            current = doc.at(ref.substring(1));
            assertThat(current.isMissingNode()).as(ref).isFalse();
        }
        return current;
    }

    /** The header schemas of a message: its own and those of its {@code allOf} parts, refs resolved. */
    private static List<JsonNode> headerSchemas(JsonNode headers) {
        List<JsonNode> schemas = new ArrayList<>();
        JsonNode schema = resolve(headers);
        schemas.add(schema);
        schema.path("allOf").values().forEach(part -> schemas.addAll(headerSchemas(part)));
        return schemas;
    }

    private static Set<String> requiredHeaders(JsonNode headers) {
        return headerSchemas(headers).stream()
                .flatMap(schema -> schema.path("required").values().stream())
                .map(JsonNode::asString)
                .collect(toSet());
    }

    private static Set<String> headerProperties(JsonNode headers) {
        return headerSchemas(headers).stream()
                .flatMap(schema -> schema.path("properties").propertyNames().stream())
                .collect(toSet());
    }

    /** The most specific schema given for one header: the last {@code allOf} part that names it. */
    private static JsonNode headerSchema(JsonNode message, String header) {
        return headerSchemas(message.path("headers")).stream()
                .map(schema -> schema.path("properties").path(header))
                .filter(schema -> !schema.isMissingNode())
                .reduce((first, second) -> second)
                .orElseThrow();
    }

    private static String headerConst(JsonNode message, String header) {
        return headerSchema(message, header).path("const").asString();
    }

    private static List<String> refs(JsonNode node) {
        List<String> refs = new ArrayList<>();
        if (node.isObject()) {
            node.properties().forEach(entry -> {
                if (entry.getKey().equals("$ref") && entry.getValue().isString()) {
                    refs.add(entry.getValue().asString());
                }
                else {
                    refs.addAll(refs(entry.getValue()));
                }
            });
        }
        else if (node.isArray()) {
            node.values().forEach(item -> refs.addAll(refs(item)));
        }
        return refs;
    }

    /** A YAML (or JSON, a subset of YAML) classpath resource. */
    private static JsonNode read(String name) {
        try (InputStream in = AsyncApiDocumentTest.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("No resource " + name);
            }
            return YAML.readTree(in);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
