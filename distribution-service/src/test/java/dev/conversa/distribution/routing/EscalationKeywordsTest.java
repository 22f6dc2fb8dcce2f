package dev.conversa.distribution.routing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class EscalationKeywordsTest {

    @Test
    void defaultKeywordsMatchWholeWordsIgnoringCaseAndAccents() {
        assertThat(EscalationKeywords.match("Quiero hablar con un AGENTE, por favor",
                EscalationKeywords.DEFAULTS)).isEqualTo("agente");
        assertThat(EscalationKeywords.match("¿Hay algún humáno ahí?", EscalationKeywords.DEFAULTS))
                .isEqualTo("humano");
        assertThat(EscalationKeywords.match("ASESÓR!!", EscalationKeywords.DEFAULTS)).isEqualTo("asesor");
    }

    @Test
    void partsOfOtherWordsAndEmptyTextsDoNotMatch() {
        assertThat(EscalationKeywords.match("los agentes de viaje", EscalationKeywords.DEFAULTS)).isNull();
        assertThat(EscalationKeywords.match("asesoramiento", EscalationKeywords.DEFAULTS)).isNull();
        assertThat(EscalationKeywords.match(null, EscalationKeywords.DEFAULTS)).isNull();
        assertThat(EscalationKeywords.match("  ", EscalationKeywords.DEFAULTS)).isNull();
    }

    @Test
    void configuredPhrasesReplaceTheDefaults() {
        List<String> keywords = List.of("hablar con alguien");
        assertThat(EscalationKeywords.match("Necesito HABLAR con alguién ya", keywords))
                .isEqualTo("hablar con alguien");
        assertThat(EscalationKeywords.match("quiero un agente", keywords)).isNull();
    }
}
