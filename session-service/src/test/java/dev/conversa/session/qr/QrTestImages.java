package dev.conversa.session.qr;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;

import javax.imageio.ImageIO;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.NotFoundException;
import com.google.zxing.ChecksumException;
import com.google.zxing.FormatException;
import com.google.zxing.Result;
import com.google.zxing.client.j2se.BufferedImageLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

/** Reads rendered QR codes back the way a phone's scanner would: from the PNG pixels. */
final class QrTestImages {

    private QrTestImages() {
    }

    static BufferedImage image(byte[] png) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
            if (image == null) {
                throw new IllegalArgumentException("not an image");
            }
            return image;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Result decode(byte[] png) {
        BinaryBitmap bitmap = new BinaryBitmap(new HybridBinarizer(new BufferedImageLuminanceSource(image(png))));
        try {
            return new QRCodeReader().decode(bitmap, Map.of(DecodeHintType.PURE_BARCODE, Boolean.FALSE,
                    DecodeHintType.POSSIBLE_FORMATS, BarcodeFormat.QR_CODE));
        }
        catch (NotFoundException | ChecksumException | FormatException e) {
            throw new AssertionError("the PNG holds no readable QR code", e);
        }
    }

    static byte[] pngOfDataUrl(String dataUrl) {
        if (!dataUrl.startsWith(QrImages.DATA_URL_PREFIX)) {
            throw new AssertionError("not a PNG data URL: " + dataUrl.substring(0, Math.min(40, dataUrl.length())));
        }
        return Base64.getDecoder().decode(dataUrl.substring(QrImages.DATA_URL_PREFIX.length()));
    }
}
