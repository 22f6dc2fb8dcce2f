package dev.conversa.campaign.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.conversa.events.command.TemplateRef;

class MessageTemplateTest {

    @Test
    void fillsNameAndAttributesCaseInsensitively() {
        MessageTemplate template = MessageTemplate.parse("Hola {{Name}}, tu pedido {{ orderId }} llega {{City}}.");
        String text = template.render(MessageTemplate.values("Ana", Map.of("OrderId", "A-17", "city", "Lima")));
        assertThat(text).isEqualTo("Hola Ana, tu pedido A-17 llega Lima.");
        assertThat(template.placeholders()).containsExactly("name", "orderid", "city");
    }

    @Test
    void usesTheFallbackWhenTheValueIsMissingOrBlank() {
        MessageTemplate template = MessageTemplate.parse("Hola {{name|cliente}}, {{city| tu ciudad }}");
        assertThat(template.render(MessageTemplate.values(null, Map.of("city", " ")))).isEqualTo(
                "Hola cliente, tu ciudad");
    }

    @Test
    void missingValueWithoutFallbackRendersAsNothing() {
        assertThat(MessageTemplate.parse("[{{nickname}}]").render(Map.of())).isEqualTo("[]");
    }

    @Test
    void rejectsMalformedPlaceholders() {
        assertThatIllegalArgumentException().isThrownBy(() -> MessageTemplate.parse("Hola {{}}"))
                .withMessageContaining("Invalid placeholder");
        assertThatIllegalArgumentException().isThrownBy(() -> MessageTemplate.parse("Hola {{name"))
                .withMessageContaining("Unbalanced");
        assertThatIllegalArgumentException().isThrownBy(() -> MessageTemplate.parse("Hola {{first name}}"))
                .withMessageContaining("Invalid placeholder");
    }

    @Test
    void rendersTemplateParametersAndKeepsTheTemplateName() {
        CampaignMessage message = new CampaignMessage(null, null,
                new TemplateRef("promo_navidad", "es", List.of("{{name|amigo}}", "{{discount}}")));
        CampaignMessage rendered = message.validate().renderFor(MessageTemplate.values("Luis", Map.of("discount",
                "20%")));
        assertThat(rendered.template().parameters()).containsExactly("Luis", "20%");
        assertThat(rendered.template().name()).isEqualTo("promo_navidad");
    }

    @Test
    void refusesAMessageThatIsBothTextAndTemplateOrNeither() {
        assertThatIllegalArgumentException().isThrownBy(() -> new CampaignMessage("hola", null,
                new TemplateRef("t", "es", List.of())).validate());
        assertThatIllegalArgumentException().isThrownBy(() -> new CampaignMessage(" ", null, null).validate());
        assertThatIllegalArgumentException().isThrownBy(() -> new CampaignMessage("x".repeat(4097), null, null)
                .validate()).withMessageContaining("4096");
    }
}
