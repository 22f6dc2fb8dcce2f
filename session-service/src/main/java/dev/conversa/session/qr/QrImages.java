package dev.conversa.session.qr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Map;

import com.google.zxing.BarcodeFormat;
import com.google.zxing.EncodeHintType;
import com.google.zxing.WriterException;
import com.google.zxing.client.j2se.MatrixToImageWriter;
import com.google.zxing.common.BitMatrix;
import com.google.zxing.qrcode.QRCodeWriter;
import com.google.zxing.qrcode.decoder.ErrorCorrectionLevel;

/**
 * Renders a QR ref as a black-on-white PNG (error correction M, the standard 4-module quiet zone), as bytes or as a
 * {@code data:image/png;base64,…} URL a browser shows directly. Pure CPU and not trivial (a WhatsApp QR string takes
 * about 3 ms at 300 px and 20 ms at 1024 px, mostly PNG encoding), so reactive callers run it off the event loop, e.g.
 * on {@code Schedulers.parallel()}. The image is {@code size} pixels square unless the code has more modules than
 * that. Thread-safe.
 */
public final class QrImages {

    public static final int DEFAULT_SIZE = 300;
    public static final int MIN_SIZE = 128;
    public static final int MAX_SIZE = 1024;

    static final String DATA_URL_PREFIX = "data:image/png;base64,";

    private static final Map<EncodeHintType, Object> HINTS = Map.of(
            EncodeHintType.ERROR_CORRECTION, ErrorCorrectionLevel.M,
            EncodeHintType.MARGIN, 4);

    private final int size;

    /** Images of {@value #DEFAULT_SIZE} px. */
    public QrImages() {
        this(DEFAULT_SIZE);
    }

    /** Images of {@code size} × {@code size} pixels by default. */
    public QrImages(int size) {
        this.size = checkSize(size);
    }

    public int size() {
        return size;
    }

    /** The ref as a PNG of the default size. */
    public byte[] png(String ref) {
        return png(ref, size);
    }

    /** The ref as a PNG of {@code size} × {@code size} pixels. */
    public byte[] png(String ref, int size) {
        if (ref == null || ref.isEmpty()) {
            throw new IllegalArgumentException("ref must not be empty");
        }
        checkSize(size);
        BitMatrix matrix;
        try {
            matrix = new QRCodeWriter().encode(ref, BarcodeFormat.QR_CODE, size, size, HINTS);
        }
        catch (WriterException e) {
            throw new IllegalArgumentException("ref cannot be encoded as a QR code: " + e.getMessage(), e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(2048);
        try {
            MatrixToImageWriter.writeToStream(matrix, "PNG", out);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The ref as a {@code data:image/png;base64,…} URL of the default size. */
    public String pngDataUrl(String ref) {
        return pngDataUrl(ref, size);
    }

    /** The ref as a {@code data:image/png;base64,…} URL of {@code size} × {@code size} pixels. */
    public String pngDataUrl(String ref, int size) {
        return DATA_URL_PREFIX + Base64.getEncoder().encodeToString(png(ref, size));
    }

    private static int checkSize(int size) {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException(
                    "QR image size must be between " + MIN_SIZE + " and " + MAX_SIZE + " px, was " + size);
        }
        return size;
    }
}
