package dev.conversa.notification.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * {@code X-Conversa-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>}: the key is the subscription
 * secret's UTF-8 bytes, the timestamp the {@code X-Conversa-Timestamp} header (Unix seconds), the body the exact
 * bytes POSTed. Receivers recompute it, compare in constant time and reject old timestamps (replays).
 */
final class WebhookSignature {

    static final String SIGNATURE_HEADER = "X-Conversa-Signature";
    static final String TIMESTAMP_HEADER = "X-Conversa-Timestamp";
    static final String EVENT_ID_HEADER = "X-Conversa-Event-Id";
    static final String SCHEME = "v1=";

    private WebhookSignature() {
    }

    static String sign(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return SCHEME + HexFormat.of().formatHex(mac.doFinal(body));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
