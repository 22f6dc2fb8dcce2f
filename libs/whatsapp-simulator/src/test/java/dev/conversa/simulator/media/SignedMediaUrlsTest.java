package dev.conversa.simulator.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.util.unit.DataSize;

class SignedMediaUrlsTest {

    /** A clock the test moves. */
    private static final class MovableClock extends Clock {
        private Instant now = Instant.parse("2026-05-01T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final MovableClock clock = new MovableClock();

    private SignedMediaUrls urls(String publicBaseUrl) {
        return new SignedMediaUrls(new MediaProperties(DataSize.ofMegabytes(1), Duration.ofMinutes(5),
                publicBaseUrl), new MockEnvironment().withProperty("local.server.port", "4321"), clock);
    }

    private static String param(String url, String name) {
        return url.replaceAll(".*[?&]" + name + "=([^&]+).*", "$1");
    }

    @Test
    void aUrlIsValidForFiveMinutesAndNotAfter() {
        SignedMediaUrls urls = urls(null);
        String url = urls.downloadUrl("123", null);

        clock.now = clock.now.plus(Duration.ofMinutes(5)).minusSeconds(1);
        assertThat(urls.isValid("123", param(url, "expires"), param(url, "sig"))).isTrue();
        clock.now = clock.now.plusSeconds(1);
        assertThat(urls.isValid("123", param(url, "expires"), param(url, "sig"))).isFalse();
    }

    @Test
    void aUrlCannotBeExtendedOrMovedToAnotherMediaId() {
        SignedMediaUrls urls = urls(null);
        String url = urls.downloadUrl("123", null);
        long expires = Long.parseLong(param(url, "expires"));

        assertThat(urls.isValid("123", Long.toString(expires + 3600), param(url, "sig"))).isFalse();
        assertThat(urls.isValid("124", param(url, "expires"), param(url, "sig"))).isFalse();
        assertThat(urls.isValid("123", param(url, "expires"), "00")).isFalse();
        assertThat(urls.isValid("123", null, null)).isFalse();
    }

    @Test
    void theBaseIsThePublicUrlElseTheRequestsHostElseTheLocalPort() {
        assertThat(urls("http://whatsapp-simulator:8090/").downloadUrl("1", URI.create("http://x:1/v25.0/1")))
                .startsWith("http://whatsapp-simulator:8090/media-download/1?");
        assertThat(urls(null).downloadUrl("1", URI.create("http://localhost:7000/v25.0/1")))
                .startsWith("http://localhost:7000/media-download/1?");
        assertThat(urls(null).downloadUrl("1", null)).startsWith("http://127.0.0.1:4321/media-download/1?");
    }
}
