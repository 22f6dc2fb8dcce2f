package dev.conversa.notification.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The webhook feature's pure rules: signature, secret encryption, SSRF address classes, filters, retry policy. */
class WebhookRulesTest {

    private static WebhookProperties properties(String... pairs) {
        MapConfigurationPropertySource source = new MapConfigurationPropertySource();
        source.put("conversa.notification.webhooks.secret-key", WebhookTestKey.randomKey());
        for (int i = 0; i < pairs.length; i += 2) {
            source.put("conversa.notification.webhooks." + pairs[i], pairs[i + 1]);
        }
        return new Binder(source).bind("conversa.notification.webhooks", WebhookProperties.class).get();
    }

    @Test
    void signatureIsHexHmacOfTimestampDotBody() {
        // echo -n '1700000000.{"a":1}' | openssl dgst -sha256 -hmac secret
        assertThat(WebhookSignature.sign("secret", 1_700_000_000L, "{\"a\":1}".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("v1=" + hmacHex("secret", "1700000000.{\"a\":1}"))
                .startsWith("v1=").hasSize(3 + 64);
    }

    private static String hmacHex(String key, String message) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(message.getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void secretDecryptsOnlyForItsSubscriptionAndWithAConfiguredKey() {
        String oldKey = WebhookTestKey.randomKey();
        SecretCipher old = new SecretCipher(oldKey, List.of());
        UUID id = UUID.randomUUID();
        byte[] sealed = old.seal("whsec_abc", id);

        assertThat(old.open(sealed, id)).isEqualTo("whsec_abc");
        assertThatThrownBy(() -> old.open(sealed, UUID.randomUUID())).isInstanceOf(IllegalStateException.class);
        SecretCipher rotated = new SecretCipher(WebhookTestKey.randomKey(), List.of(oldKey));
        assertThat(rotated.open(sealed, id)).isEqualTo("whsec_abc");
        assertThatThrownBy(() -> new SecretCipher(WebhookTestKey.randomKey(), List.of()).open(sealed, id))
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new SecretCipher("c2hvcnQ=", List.of())).hasMessageContaining("256 bits");
    }

    @Test
    void serviceDoesNotStartWithoutASecretKey() {
        assertThatThrownBy(() -> new Binder(new MapConfigurationPropertySource(
                java.util.Map.of("conversa.notification.webhooks.secret-key", "")))
                .bind("conversa.notification.webhooks", WebhookProperties.class).get())
                .hasStackTraceContaining("secret-key is required");
    }

    @Test
    void onlyPublicAddressesAreAllowed() throws Exception {
        for (String address : List.of("127.0.0.1", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
                "100.64.0.1", "0.0.0.0", "224.0.0.1", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1")) {
            assertThat(TargetGuard.isPublic(InetAddress.getByName(address))).as(address).isFalse();
        }
        for (String address : List.of("93.184.215.14", "8.8.8.8", "2606:4700:4700::1111")) {
            assertThat(TargetGuard.isPublic(InetAddress.getByName(address))).as(address).isTrue();
        }
        assertThatThrownBy(() -> new TargetGuard(false).requireAllowed("x", List.of(InetAddress.getByName(
                "127.0.0.1")))).isInstanceOf(TargetGuard.RefusedTargetException.class);
        new TargetGuard(true).requireAllowed("x", List.of(InetAddress.getByName("127.0.0.1")));
    }

    @Test
    void filterMatchesExactTypesAndPrefixes() {
        assertThat(EventFilter.matches(List.of("conversa.session.*"), "conversa.session.banned.v1")).isTrue();
        assertThat(EventFilter.matches(List.of("conversa.session.banned.v1"), "conversa.session.failed.v1"))
                .isFalse();
        assertThat(EventFilter.matches(List.of("*"), "anything")).isTrue();
        assertThat(EventFilter.isValid("conversa.message.*")).isTrue();
        assertThat(EventFilter.isValid("Bad Type")).isFalse();
    }

    @Test
    void onlyServerErrorsTimeoutsAndThrottlingAreRetried() {
        assertThat(List.of(500, 502, 503, 408, 429)).allMatch(RetryPolicy::isRetryable);
        assertThat(List.of(400, 401, 403, 404, 410, 422)).noneMatch(RetryPolicy::isRetryable);
        assertThat(RetryPolicy.isSuccess(204)).isTrue();
        assertThat(RetryPolicy.isSuccess(301)).isFalse();
    }

    @Test
    void backoffDoublesUpToItsCapWithJitterAndHonoursRetryAfter() {
        RetryPolicy policy = new RetryPolicy(properties("initial-backoff", "10s", "max-backoff", "1h",
                "jitter", "0", "max-retry-after", "10m"));
        assertThat(policy.backoff(1, null)).isEqualTo(Duration.ofSeconds(10));
        assertThat(policy.backoff(4, null)).isEqualTo(Duration.ofSeconds(80));
        assertThat(policy.backoff(30, null)).isEqualTo(Duration.ofHours(1));
        assertThat(policy.backoff(1, Duration.ofSeconds(120))).isEqualTo(Duration.ofSeconds(120));
        assertThat(policy.backoff(1, Duration.ofHours(5))).isEqualTo(Duration.ofMinutes(10));

        RetryPolicy jittered = new RetryPolicy(properties("initial-backoff", "10s", "jitter", "0.5"));
        for (int i = 0; i < 50; i++) {
            assertThat(jittered.backoff(1, null)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        }
    }

    @Test
    void retriesStopAfterTheRetryWindow() {
        RetryPolicy policy = new RetryPolicy(properties("initial-backoff", "1h", "max-backoff", "1h", "jitter", "0",
                "retry-for", "24h"));
        Instant created = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(policy.nextAttempt(created.plus(Duration.ofHours(22)), created, 5, null))
                .isEqualTo(created.plus(Duration.ofHours(23)));
        assertThat(policy.nextAttempt(created.plus(Duration.ofHours(23).plusMinutes(30)), created, 6, null))
                .isNull();
    }

    @Test
    void retryAfterIsReadAsSecondsOrHttpDate() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(RetryPolicy.parseRetryAfter("30", now)).isEqualTo(Duration.ofSeconds(30));
        assertThat(RetryPolicy.parseRetryAfter("Thu, 01 Jan 2026 00:02:00 GMT", now))
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryPolicy.parseRetryAfter("soon", now)).isNull();
        assertThat(RetryPolicy.parseRetryAfter(null, now)).isNull();
    }
}
