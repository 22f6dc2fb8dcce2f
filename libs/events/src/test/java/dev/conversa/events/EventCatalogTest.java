package dev.conversa.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.conversa.events.command.SendMessageRequested;
import dev.conversa.events.message.MessageStatusChanged;

class EventCatalogTest {

    @Test
    void catalogListsEveryEventTypesConstantExactlyOnce() {
        List<String> constants = Arrays.stream(EventTypes.class.getDeclaredFields())
                .filter(field -> Modifier.isStatic(field.getModifiers()) && field.getType() == String.class)
                .map(EventCatalogTest::value)
                .toList();

        assertThat(EventCatalog.all()).extracting(EventDescriptor::type)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrderElementsOf(constants)
                .hasSize(41);
    }

    @Test
    void everyTypeIsAVersionedConversaType() {
        assertThat(EventCatalog.all()).extracting(EventDescriptor::type)
                .allMatch(type -> type.matches("conversa\\.[a-z]+\\.[a-z-]+\\.v[1-9][0-9]*"));
    }

    @Test
    void eventsAreSpreadOverTheTopicsOfTheDesign() {
        Map<String, Long> perTopic = EventCatalog.all().stream()
                .collect(Collectors.groupingBy(EventDescriptor::topic, Collectors.counting()));

        assertThat(perTopic).containsOnlyKeys(Topics.ALL).containsExactlyInAnyOrderEntriesOf(Map.of(
                Topics.WA_COMMANDS, 5L,
                Topics.WA_SESSION_EVENTS, 14L,
                Topics.WA_MESSAGE_INBOUND, 1L,
                Topics.WA_MESSAGE_STATUS, 5L,
                Topics.CRM_CONVERSATION_EVENTS, 8L,
                Topics.CRM_CAMPAIGN_EVENTS, 8L));
    }

    @Test
    void byTypeFindsTheDescriptorOfAType() {
        assertThat(EventCatalog.byType(EventTypes.MESSAGE_SEND_REQUESTED)).hasValueSatisfying(descriptor -> {
            assertThat(descriptor.topic()).isEqualTo(Topics.WA_COMMANDS);
            assertThat(descriptor.payloadType()).isEqualTo(SendMessageRequested.class);
            assertThat(descriptor.schemaResource()).isEqualTo("schemas/SendMessageRequested.schema.json");
        });
        assertThat(EventCatalog.byType("conversa.message.bounced.v1")).isEmpty();
    }

    @Test
    void ofTopicListsTheEventsOfOneTopic() {
        assertThat(EventCatalog.ofTopic(Topics.WA_MESSAGE_STATUS))
                .extracting(EventDescriptor::type)
                .containsExactly(EventTypes.MESSAGE_ACCEPTED, EventTypes.MESSAGE_SENT, EventTypes.MESSAGE_DELIVERED,
                        EventTypes.MESSAGE_READ, EventTypes.MESSAGE_FAILED);
        assertThat(EventCatalog.ofTopic(Topics.WA_MESSAGE_STATUS))
                .extracting(EventDescriptor::payloadType)
                .containsOnly(MessageStatusChanged.class);
        assertThat(EventCatalog.ofTopic("wa.unknown")).isEmpty();
    }

    @Test
    void keysAreTheAggregateIdsOfTheDesign() {
        assertThat(Topics.ALL).extracting(EventCatalog::keyOf).containsExactly(
                "sessionId", "sessionId", "sessionId", "sessionId", "conversationId", "campaignId");
        assertThatIllegalArgumentException().isThrownBy(() -> EventCatalog.keyOf(Topics.dlq(Topics.WA_COMMANDS)));
    }

    @Test
    void everyPayloadCarriesItsTenantAndTheUuidKeyOfItsTopic() {
        for (EventDescriptor descriptor : EventCatalog.all()) {
            Map<String, Class<?>> components = Arrays.stream(descriptor.payloadType().getRecordComponents())
                    .collect(Collectors.toMap(RecordComponent::getName, RecordComponent::getType));

            assertThat(descriptor.payloadType().isRecord()).as(descriptor.type()).isTrue();
            assertThat(components).as(descriptor.type())
                    .containsEntry("tenantId", String.class)
                    .containsEntry(descriptor.keyProperty(), UUID.class);
        }
    }

    @Test
    void contactImportEventsShareTheCampaignTopicKeyedByTheirImport() {
        assertThat(EventCatalog.ofTopic(Topics.CRM_CAMPAIGN_EVENTS))
                .filteredOn(descriptor -> descriptor.type().startsWith("conversa.contact."))
                .extracting(EventDescriptor::type, EventDescriptor::keyProperty)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(EventTypes.CONTACT_IMPORT_PROGRESS, "importId"),
                        org.assertj.core.groups.Tuple.tuple(EventTypes.CONTACT_IMPORT_FINISHED, "importId"));
        assertThat(EventCatalog.all())
                .filteredOn(descriptor -> !descriptor.type().startsWith("conversa.contact."))
                .allMatch(descriptor -> descriptor.keyProperty().equals(EventCatalog.keyOf(descriptor.topic())));
    }

    @Test
    void everySchemaResourceIsOnTheClasspath() {
        assertThat(EventCatalog.all()).extracting(EventDescriptor::schemaResource)
                .allMatch(JsonSchemas::exists);
    }

    @Test
    void deadLetterTopicIsTheTopicWithDlqSuffix() {
        assertThat(Topics.dlq(Topics.WA_MESSAGE_INBOUND)).isEqualTo("wa.message.inbound.dlq");
    }

    private static String value(Field field) {
        try {
            return (String) field.get(null);
        }
        catch (IllegalAccessException e) {
            throw new AssertionError(e);
        }
    }
}
