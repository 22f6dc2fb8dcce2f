package dev.conversa.session.pacing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.conversa.events.message.MessageType;

/** Content fingerprints: stable for equal content, different for any difference. */
class DuplicateContentFingerprintTest {

    @Test
    void equalContentHasTheSameFingerprintEveryTime() {
        String first = DuplicateContentGuard.fingerprint(MessageType.TEMPLATE, null, null, "promo", List.of("Ana"));
        String second = DuplicateContentGuard.fingerprint(MessageType.TEMPLATE, null, null, "promo", List.of("Ana"));

        assertThat(first).isEqualTo(second).matches("[0-9a-f]{64}");
    }

    @Test
    void anyDifferenceInTypeTextMediaTemplateOrParametersChangesIt() {
        String text = DuplicateContentGuard.fingerprint(MessageType.TEXT, "hola", null, null, List.of());

        assertThat(List.of(
                DuplicateContentGuard.fingerprint(MessageType.TEXT, "Hola", null, null, List.of()),
                DuplicateContentGuard.fingerprint(MessageType.IMAGE, "hola", null, null, List.of()),
                DuplicateContentGuard.fingerprint(MessageType.IMAGE, "hola", "https://h/a.png", null, List.of()),
                DuplicateContentGuard.fingerprint(MessageType.TEXT, "hola", null, "promo", List.of()),
                DuplicateContentGuard.fingerprint(MessageType.TEXT, "hola", null, null, List.of("x"))))
                .doesNotContain(text)
                .doesNotHaveDuplicates();
        assertThat(DuplicateContentGuard.fingerprint(MessageType.TEMPLATE, null, null, "t", List.of("a", "b")))
                .as("parameter order counts")
                .isNotEqualTo(DuplicateContentGuard.fingerprint(MessageType.TEMPLATE, null, null, "t",
                        List.of("b", "a")));
    }

    @Test
    void fieldBoundariesCannotBeForged() {
        assertThat(DuplicateContentGuard.fingerprint(MessageType.TEXT, "a|b", null, null, List.of()))
                .isNotEqualTo(DuplicateContentGuard.fingerprint(MessageType.TEXT, "a", "b", null, List.of()));
        assertThat(DuplicateContentGuard.fingerprint(MessageType.TEMPLATE, null, null, "t", List.of("a,b")))
                .isNotEqualTo(DuplicateContentGuard.fingerprint(MessageType.TEMPLATE, null, null, "t",
                        List.of("a", "b")));
        assertThat(DuplicateContentGuard.fingerprint(MessageType.TEXT, "", null, null, List.of()))
                .as("empty is not absent")
                .isNotEqualTo(DuplicateContentGuard.fingerprint(MessageType.TEXT, null, null, null, List.of()));
    }

    @Test
    void nullParametersCountAsNone() {
        assertThat(DuplicateContentGuard.fingerprint(MessageType.TEMPLATE, null, null, "t", null))
                .isEqualTo(DuplicateContentGuard.fingerprint(MessageType.TEMPLATE, null, null, "t", List.of()));
    }

    @Test
    void keyNeedsAPhoneNumber() {
        assertThatThrownBy(() -> DuplicateContentGuard.key(java.util.UUID.randomUUID(), "nobody", "f"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
