package dev.conversa.campaign.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Phone normalization to E.164 and opt-out keyword matching. */
class PhoneAndKeywordTest {

    private final PhoneNormalizer phones = new PhoneNormalizer();
    private final OptOutKeywords keywords = new OptOutKeywords(List.of("STOP", "BAJA", "UNSUBSCRIBE", "ALTO"));

    @Test
    void nationalNumbersTakeTheDefaultRegion() {
        assertThat(phones.normalize("612 34 56 78", "ES").e164()).isEqualTo("+34612345678");
        assertThat(phones.normalize("(55) 1234-5678", "MX").e164()).isEqualTo("+525512345678");
        assertThat(phones.normalize("011 15-2345-6789", "AR").e164()).isEqualTo("+5491123456789");
    }

    @Test
    void plusOrDoubleZeroKeepsTheNumbersOwnCountry() {
        assertThat(phones.normalize("+52 55 1234 5678", "ES").e164()).isEqualTo("+525512345678");
        assertThat(phones.normalize("0034 612 345 678", "MX").e164()).isEqualTo("+34612345678");
    }

    @Test
    void invalidNumbersSayWhy() {
        assertThat(phones.normalize("12", "ES").error()).contains("not a valid number for region ES");
        assertThat(phones.normalize("hola", "ES").error()).contains("not a phone number");
        assertThat(phones.normalize("  ", "ES").error()).isEqualTo("phone is empty");
        assertThat(phones.normalize("+999 1234", "ES").valid()).isFalse();
    }

    @Test
    void keywordMatchesIgnoringCaseBlanksAccentsAndTrailingPunctuation() {
        assertThat(keywords.match(" stop ")).contains("STOP");
        assertThat(keywords.match("Bája!")).contains("BAJA");
        assertThat(keywords.match("ALTO.")).contains("ALTO");
        assertThat(keywords.match("unsubscribe")).contains("UNSUBSCRIBE");
    }

    @Test
    void messagesThatOnlyContainAKeywordDoNotMatch() {
        assertThat(keywords.match("no me des de baja")).isEmpty();
        assertThat(keywords.match("stop it please")).isEmpty();
        assertThat(keywords.match(null)).isEmpty();
        assertThat(keywords.match("")).isEmpty();
    }

    @Test
    void multiWordKeywordsMatchWithAnyBlanks() {
        OptOutKeywords custom = new OptOutKeywords(List.of("no más"));
        assertThat(custom.match("NO   MAS")).contains("NO MÁS");
    }
}
