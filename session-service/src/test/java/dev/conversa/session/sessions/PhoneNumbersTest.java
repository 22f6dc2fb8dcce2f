package dev.conversa.session.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "+5215512345678      | +5215512345678",
        "+52 1 55 1234 5678  | +5215512345678",
        "+54 (11) 5555-1234  | +541155551234",
        "0054 9 11 5555 1234 | +5491155551234",
        " +1.650.555.1234    | +16505551234"})
    void typedNumbersWithCountryCodeBecomeE164(String typed, String e164) {
        assertThat(PhoneNumbers.e164(typed)).contains(e164);
    }

    @ParameterizedTest
    @ValueSource(strings = {"5512345678", "+0123456789", "+12", "+1234567890123456", "+52 55 ABC 5678", "", "+"})
    void numbersWithoutCountryCodeOrWithLettersAreRefused(String typed) {
        assertThat(PhoneNumbers.e164(typed)).isEmpty();
    }
}
