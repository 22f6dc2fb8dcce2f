package dev.conversa.simulator.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class PhoneNumbersTest {

    @Test
    void acceptsE164AndFormattedNumbersAsDigits() {
        assertThat(PhoneNumbers.digits("+54 9 11 5555-1234")).isEqualTo("5491155551234");
        assertThat(PhoneNumbers.digits("5491155551234")).isEqualTo("5491155551234");
        assertThat(PhoneNumbers.e164("5491155551234")).isEqualTo("+5491155551234");
    }

    @Test
    void rejectsWhatCannotBeAPhoneNumber() {
        assertThatIllegalArgumentException().isThrownBy(() -> PhoneNumbers.digits("abc"));
        assertThatIllegalArgumentException().isThrownBy(() -> PhoneNumbers.digits("+0123456789"));
        assertThatIllegalArgumentException().isThrownBy(() -> PhoneNumbers.digits("12345"));
        assertThatIllegalArgumentException().isThrownBy(() -> PhoneNumbers.digits(null));
    }
}
