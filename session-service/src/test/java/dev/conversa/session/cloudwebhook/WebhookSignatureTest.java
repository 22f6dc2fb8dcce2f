package dev.conversa.session.cloudwebhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    private static final byte[] BODY = "{\"object\":\"whatsapp_business_account\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signatureOfTheRawBodyWithTheAppSecretIsAccepted() {
        assertThat(WebhookSignature.isValid("secret", BODY, WebhookSignature.sign("secret", BODY))).isTrue();
    }

    @Test
    void knownVectorMatchesHmacSha256InLowercaseHex() {
        // the well-known HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog")
        byte[] body = "The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8);
        assertThat(WebhookSignature.sign("key", body))
                .isEqualTo("sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8");
    }

    @Test
    void otherSecretAlteredBodyMissingOrMalformedHeaderAreRefused() {
        String signature = WebhookSignature.sign("secret", BODY);
        byte[] altered = "{\"object\":\"whatsapp_business_account\" }".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignature.isValid("other", BODY, signature)).isFalse();
        assertThat(WebhookSignature.isValid("secret", altered, signature)).isFalse();
        assertThat(WebhookSignature.isValid("secret", BODY, null)).isFalse();
        assertThat(WebhookSignature.isValid("secret", BODY, "sha256=zz")).isFalse();
        assertThat(WebhookSignature.isValid("secret", BODY, signature.substring("sha256=".length()))).isFalse();
        assertThat(WebhookSignature.isValid("secret", BODY, "sha1=" + signature.substring(7))).isFalse();
    }
}
