package dev.conversa.notification.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.conversa.events.EventTypes;
import tools.jackson.databind.json.JsonMapper;

class AlertMessagesTest {

    @Test
    void eventTypesRaiseTheirKindsAndOthersNone() {
        assertThat(AlertKind.forEventType(EventTypes.SESSION_BANNED)).contains(AlertKind.SESSION_BANNED);
        assertThat(AlertKind.forEventType(EventTypes.SESSION_LOGGED_OUT)).contains(AlertKind.SESSION_LOGGED_OUT);
        assertThat(AlertKind.forEventType(EventTypes.SESSION_FAILED)).contains(AlertKind.SESSION_FAILED);
        assertThat(AlertKind.forEventType(EventTypes.CAMPAIGN_FINISHED)).contains(AlertKind.CAMPAIGN_FINISHED);
        assertThat(AlertKind.forEventType(EventTypes.SESSION_CONNECTED)).isEmpty();
        assertThat(AlertKind.forEventType(EventTypes.CAMPAIGN_PROGRESS)).isEmpty();
    }

    @Test
    void emailIsSpanishThenEnglishWithTheFacts() {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("sessionId", "s-1");
        facts.put("phoneNumber", "+5491155551234");
        AlertMessages.Rendered rendered = AlertMessages.render(AlertKind.SESSION_LOGGED_OUT, "acme", facts);
        assertThat(rendered.subject()).isEqualTo(
                "[Conversa] Sesión de WhatsApp desconectada / WhatsApp session logged out");
        assertThat(rendered.body().indexOf("Número: +5491155551234"))
                .isLessThan(rendered.body().indexOf("Number: +5491155551234")).isNotNegative();
    }

    @Test
    void factsAreThePayloadsScalarFieldsWithoutTheTenant() {
        var payload = JsonMapper.builder().build().readTree(
                "{\"tenantId\":\"acme\",\"sessionId\":\"s-1\",\"attempts\":3,\"reason\":null,\"nested\":{}}");
        assertThat(AlertRaiser.facts(payload)).containsExactly(Map.entry("sessionId", "s-1"),
                Map.entry("attempts", "3"));
    }
}
