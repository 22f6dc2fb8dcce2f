package dev.conversa.session.authstate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.junit.jupiter.api.Test;

class AuthStateCipherTest {

    private static final String K1 = AuthStateCipher.generateKey();
    private static final String K2 = AuthStateCipher.generateKey();
    private static final byte[] SECRET = "{\"noiseKey\":\"…\",\"advSecretKey\":\"s3cr3t\"}"
            .getBytes(StandardCharsets.UTF_8);

    @Test
    void sealsWithTheActiveKeyAndOpensWhatItSealed() {
        AuthStateCipher cipher = new AuthStateCipher(new AuthStateProperties("k1", Map.of("k1", K1)));
        AuthStateCipher.Sealed sealed = cipher.seal(SECRET, "session-1");

        assertThat(sealed.keyId()).isEqualTo("k1");
        assertThat(sealed.nonce()).hasSize(AuthStateCipher.NONCE_BYTES);
        assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("s3cr3t");
        assertThat(cipher.open(sealed, "session-1")).isEqualTo(SECRET);
    }

    @Test
    void everyWriteUsesAFreshNonce() {
        AuthStateCipher cipher = new AuthStateCipher(new AuthStateProperties("k1", Map.of("k1", K1)));
        assertThat(cipher.seal(SECRET, "s").nonce()).isNotEqualTo(cipher.seal(SECRET, "s").nonce());
    }

    @Test
    void ciphertextMovedToAnotherSessionOrAlteredDoesNotOpen() {
        AuthStateCipher cipher = new AuthStateCipher(new AuthStateProperties("k1", Map.of("k1", K1)));
        AuthStateCipher.Sealed sealed = cipher.seal(SECRET, "session-1");

        assertThatThrownBy(() -> cipher.open(sealed, "session-2")).isInstanceOf(AuthStateUnreadableException.class);
        byte[] altered = sealed.ciphertext().clone();
        altered[0] ^= 1;
        assertThatThrownBy(() -> cipher.open(new AuthStateCipher.Sealed("k1", sealed.nonce(), altered), "session-1"))
                .isInstanceOf(AuthStateUnreadableException.class);
    }

    @Test
    void rotatedKeysStillOpenOldStateWhileNewStateUsesTheNewKey() {
        AuthStateCipher before = new AuthStateCipher(new AuthStateProperties("k1", Map.of("k1", K1)));
        AuthStateCipher.Sealed old = before.seal(SECRET, "s");
        AuthStateCipher after = new AuthStateCipher(new AuthStateProperties("k2", Map.of("k1", K1, "k2", K2)));

        assertThat(after.open(old, "s")).isEqualTo(SECRET);
        assertThat(after.seal(SECRET, "s").keyId()).isEqualTo("k2");
        AuthStateCipher withoutOld = new AuthStateCipher(new AuthStateProperties("k2", Map.of("k2", K2)));
        assertThatThrownBy(() -> withoutOld.open(old, "s")).isInstanceOf(AuthStateUnreadableException.class)
                .hasMessageContaining("k1");
    }

    @Test
    void refusesToStartWithoutAProperActiveKey() {
        assertThatIllegalStateException().isThrownBy(() -> new AuthStateCipher(
                new AuthStateProperties("k1", Map.of("k1", ""))));
        assertThatIllegalStateException().isThrownBy(() -> new AuthStateCipher(
                new AuthStateProperties("k1", Map.of("k1", "c2hvcnQ="))));
        assertThatIllegalStateException().isThrownBy(() -> new AuthStateCipher(
                new AuthStateProperties("k9", Map.of("k1", K1))));
    }
}
