package dev.conversa.web.logging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PiiTest {

    @Test
    void masksPhoneKeepingCountryPrefixAndLastDigits() {
        assertThat(Pii.phone("+5491155551234")).isEqualTo("+54*********34");
    }

    @Test
    void masksPhoneAfterStrippingSurroundingWhitespace() {
        assertThat(Pii.phone("  +14155550123 \n")).isEqualTo("+14*******23");
    }

    @Test
    void masksEveryCharacterOfPhoneTooShortToKeepPrefixAndSuffix() {
        assertThat(Pii.phone("12345")).isEqualTo("*****");
        assertThat(Pii.phone("+1")).isEqualTo("**");
    }

    @Test
    void masksSixCharacterPhoneKeepingOnlyPrefixAndSuffix() {
        assertThat(Pii.phone("+12345")).isEqualTo("+12*45");
    }

    @Test
    void maskedPhoneNeverContainsTheHiddenDigits() {
        String masked = Pii.phone("+5491155551234");
        assertThat(masked).hasSameSizeAs("+5491155551234").doesNotContain("911555512");
    }

    @Test
    void namesMissingPhoneAsNone() {
        assertThat(Pii.phone(null)).isEqualTo("<none>");
        assertThat(Pii.phone("")).isEqualTo("<none>");
        assertThat(Pii.phone("   ")).isEqualTo("<none>");
    }

    @Test
    void replacesTextByItsLengthOnly() {
        assertThat(Pii.text("my card number is 4111")).isEqualTo("<22 chars>");
        assertThat(Pii.text("")).isEqualTo("<0 chars>");
    }

    @Test
    void namesMissingTextAsNone() {
        assertThat(Pii.text(null)).isEqualTo("<none>");
    }
}
