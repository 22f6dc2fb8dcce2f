package dev.conversa.simulator.media;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MediaLimitsTest {

    private static final long MB = 1024 * 1024;

    @Test
    void eachKindHasMetasSizeLimit() {
        assertThat(MediaLimits.check("image/jpeg", 5 * MB)).isEqualTo(MediaLimits.IMAGE);
        assertThat(MediaLimits.check("video/mp4", 16 * MB)).isEqualTo(MediaLimits.VIDEO);
        assertThat(MediaLimits.check("audio/mpeg", 16 * MB)).isEqualTo(MediaLimits.AUDIO);
        assertThat(MediaLimits.check("application/pdf", 100 * MB)).isEqualTo(MediaLimits.DOCUMENT);
        assertThat(MediaLimits.check("image/webp", 500 * 1024)).isEqualTo(MediaLimits.STICKER);
    }

    @Test
    void anImageOverFiveMegabytesIsTooLarge() {
        assertThatThrownBy(() -> MediaLimits.check("image/png", 5 * MB + 1))
                .isInstanceOfSatisfying(MediaRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(MediaRejectedException.Reason.TOO_LARGE))
                .hasMessageContaining("5 MB");
    }

    @Test
    void aTypeWhatsAppDoesNotTakeIsUnsupported() {
        assertThatThrownBy(() -> MediaLimits.check("image/gif", 10))
                .isInstanceOfSatisfying(MediaRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(MediaRejectedException.Reason.UNSUPPORTED_TYPE));
    }

    @Test
    void mimeParametersAndCaseDoNotMatter() {
        assertThat(MediaLimits.check("audio/ogg; codecs=opus", 10)).isEqualTo(MediaLimits.AUDIO);
        assertThat(MediaLimits.check("IMAGE/JPEG", 10)).isEqualTo(MediaLimits.IMAGE);
    }
}
