package dev.conversa.session.qr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.google.zxing.Result;
import com.google.zxing.ResultMetadataType;

class QrImagesTest {

    /** The shape of WhatsApp's QR string: ref, noise key, identity key, adv secret, platform id. */
    private static final String WHATSAPP_QR = "https://wa.me/settings/linked_devices#"
            + "2@Vx8m0c2kQ5yB3nD7tF1hJ9pL4rW6zA0q9Zb3Xc5Vn7Mm1Ll8Kk2Jj4Hh6Gg0Ff==,"
            + "dGhpcyBpcyBhIG5vaXNlIGtleSBvZiAzMiBieXRlcyE=,"
            + "aWRlbnRpdHkga2V5IGlzIGFsc28gMzIgYnl0ZXMgbG9uZw==,"
            + "YWR2IHNlY3JldCBrZXkgb2YgMzIgYnl0ZXMgaGVyZSEhIQ==,1";

    private final QrImages images = new QrImages();

    @ParameterizedTest
    @ValueSource(strings = {"2@Vx8m0c2kQ5yB3nD7tF1hJ9pL4rW6zA0", WHATSAPP_QR, "x"})
    void pngDecodesBackToTheSameRef(String ref) {
        Result decoded = QrTestImages.decode(images.png(ref));

        assertThat(decoded.getText()).isEqualTo(ref);
    }

    @Test
    void pngUsesErrorCorrectionM() {
        Result decoded = QrTestImages.decode(images.png(WHATSAPP_QR));

        assertThat(decoded.getResultMetadata()).containsEntry(ResultMetadataType.ERROR_CORRECTION_LEVEL, "M");
    }

    @Test
    void pngIsSquareOfTheDefaultSizeWhenNoneIsGiven() {
        BufferedImage image = QrTestImages.image(images.png(WHATSAPP_QR));

        assertThat(images.size()).isEqualTo(300);
        assertThat(image.getWidth()).isEqualTo(300);
        assertThat(image.getHeight()).isEqualTo(300);
    }

    @Test
    void pngHasTheConfiguredSizeAndStillDecodes() {
        QrImages large = new QrImages(512);

        byte[] png = large.png(WHATSAPP_QR);
        byte[] small = images.png(WHATSAPP_QR, 128);

        assertThat(QrTestImages.image(png).getWidth()).isEqualTo(512);
        assertThat(QrTestImages.decode(png).getText()).isEqualTo(WHATSAPP_QR);
        assertThat(QrTestImages.image(small).getWidth()).isEqualTo(128);
        assertThat(QrTestImages.decode(small).getText()).isEqualTo(WHATSAPP_QR);
    }

    @Test
    void pngKeepsAWhiteQuietZoneAroundTheCode() {
        BufferedImage image = QrTestImages.image(images.png(WHATSAPP_QR));

        for (int i = 0; i < image.getWidth(); i++) {
            assertThat(image.getRGB(i, 0) & 0xFFFFFF).as("top row pixel %d", i).isEqualTo(0xFFFFFF);
            assertThat(image.getRGB(0, i) & 0xFFFFFF).as("left column pixel %d", i).isEqualTo(0xFFFFFF);
        }
    }

    @Test
    void dataUrlIsTheBase64OfThePng() {
        String url = images.pngDataUrl(WHATSAPP_QR);

        assertThat(url).startsWith("data:image/png;base64,");
        byte[] png = Base64.getDecoder().decode(url.substring("data:image/png;base64,".length()));
        assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
        assertThat(png).isEqualTo(images.png(WHATSAPP_QR));
        assertThat(QrTestImages.decode(png).getText()).isEqualTo(WHATSAPP_QR);
    }

    @Test
    void dataUrlOfAGivenSizeHasThatSize() {
        byte[] png = QrTestImages.pngOfDataUrl(images.pngDataUrl("2@ref", 200));

        assertThat(QrTestImages.image(png).getWidth()).isEqualTo(200);
    }

    @Test
    void emptyRefIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> images.png(""));
        assertThatIllegalArgumentException().isThrownBy(() -> images.pngDataUrl(null));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 127, 1025, -300})
    void sizeOutsideTheBoundsIsRejected(int size) {
        assertThatIllegalArgumentException().isThrownBy(() -> new QrImages(size));
        assertThatIllegalArgumentException().isThrownBy(() -> images.png("2@ref", size));
    }

    @Test
    void refTooLongForAQrCodeIsRejected() {
        assertThatIllegalArgumentException().isThrownBy(() -> images.png("x".repeat(5000)))
                .withMessageContaining("cannot be encoded");
    }
}
