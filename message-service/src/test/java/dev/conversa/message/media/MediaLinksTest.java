package dev.conversa.message.media;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.web.util.UriComponentsBuilder;

class MediaLinksTest {

    private static final String KEY = "a-test-key-of-at-least-thirty-two-characters";
    private static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private final MediaLinks links = new MediaLinks(KEY, Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));
    private final UUID id = UUID.randomUUID();

    @Test
    void aFreshLinkVerifies() {
        MediaLinks.SignedLink link = links.sign(id);

        assertThat(link.expiresAt()).isEqualTo(NOW.plus(Duration.ofMinutes(5)));
        assertThat(link.url()).startsWith("/api/v1/media/" + id + "/content?");
        assertThat(links.verify(id, expires(link), signature(link))).isTrue();
    }

    @Test
    void anExpiredLinkDoesNotVerify() {
        MediaLinks.SignedLink link = links.sign(id);
        MediaLinks later = new MediaLinks(KEY, Duration.ofMinutes(5),
                Clock.fixed(NOW.plus(Duration.ofMinutes(5)).plusSeconds(1), ZoneOffset.UTC));

        assertThat(later.verify(id, expires(link), signature(link))).isFalse();
    }

    @Test
    void tamperedLinksDoNotVerify() {
        MediaLinks.SignedLink link = links.sign(id);

        assertThat(links.verify(UUID.randomUUID(), expires(link), signature(link))).isFalse();
        assertThat(links.verify(id, expires(link) + 3600, signature(link))).isFalse();
        assertThat(links.verify(id, expires(link), signature(link).substring(1) + "A")).isFalse();
        assertThat(links.verify(id, expires(link), null)).isFalse();
    }

    @Test
    void anotherKeySignsDifferently() {
        MediaLinks other = new MediaLinks(KEY + "x", Duration.ofMinutes(5), Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(other.verify(id, expires(links.sign(id)), signature(links.sign(id)))).isFalse();
    }

    private static long expires(MediaLinks.SignedLink link) {
        return Long.parseLong(query(link, "expires"));
    }

    private static String signature(MediaLinks.SignedLink link) {
        return query(link, "signature");
    }

    private static String query(MediaLinks.SignedLink link, String name) {
        return UriComponentsBuilder.fromUri(URI.create(link.url())).build().getQueryParams().getFirst(name);
    }
}
