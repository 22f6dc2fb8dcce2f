package dev.conversa.simulator.media;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.springframework.util.unit.DataSize;

/**
 * What the Cloud API accepts as an upload, per kind: MIME types and maximum sizes (reference §2: audio 16 MB, documents
 * 100 MB, images 5 MB, video 16 MB; stickers, WebP, 500 KB as for animated stickers).
 */
public enum MediaLimits {

    AUDIO(DataSize.ofMegabytes(16), Set.of("audio/aac", "audio/amr", "audio/mpeg", "audio/mp4", "audio/ogg")),
    DOCUMENT(DataSize.ofMegabytes(100), Set.of("text/plain", "application/pdf", "application/msword",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/vnd.ms-excel",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/vnd.ms-powerpoint",
            "application/vnd.openxmlformats-officedocument.presentationml.presentation")),
    IMAGE(DataSize.ofMegabytes(5), Set.of("image/jpeg", "image/png")),
    VIDEO(DataSize.ofMegabytes(16), Set.of("video/mp4", "video/3gpp")),
    STICKER(DataSize.ofKilobytes(500), Set.of("image/webp"));

    /** The largest file of any kind: uploads are read into memory up to this many bytes. */
    public static final DataSize LARGEST = DataSize.ofMegabytes(100);

    private final DataSize maxSize;
    private final Set<String> mimeTypes;

    MediaLimits(DataSize maxSize, Set<String> mimeTypes) {
        this.maxSize = maxSize;
        this.mimeTypes = mimeTypes;
    }

    public DataSize maxSize() {
        return maxSize;
    }

    /** The kind a MIME type belongs to ({@code audio/ogg; codecs=opus} is audio), if WhatsApp takes it at all. */
    public static Optional<MediaLimits> of(@Nullable String mimeType) {
        String bare = bare(mimeType);
        for (MediaLimits kind : values()) {
            if (kind.mimeTypes.contains(bare)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }

    /** Throws {@link MediaRejectedException} unless WhatsApp would take a file of this type and size. */
    public static MediaLimits check(@Nullable String mimeType, long size) {
        MediaLimits kind = of(mimeType).orElseThrow(() -> new MediaRejectedException(
                MediaRejectedException.Reason.UNSUPPORTED_TYPE,
                "Unsupported media type " + mimeType + "; see the supported media types"));
        if (size > kind.maxSize.toBytes()) {
            throw new MediaRejectedException(MediaRejectedException.Reason.TOO_LARGE,
                    "File of " + size + " bytes exceeds the " + human(kind.maxSize) + " limit for "
                            + kind.name().toLowerCase(Locale.ROOT));
        }
        return kind;
    }

    private static String human(DataSize size) {
        return size.toMegabytes() > 0 ? size.toMegabytes() + " MB" : size.toKilobytes() + " KB";
    }

    /** {@code "Image/JPEG; x=y"} → {@code "image/jpeg"}. */
    public static String bare(@Nullable String mimeType) {
        if (mimeType == null) {
            return "";
        }
        int semicolon = mimeType.indexOf(';');
        return (semicolon < 0 ? mimeType : mimeType.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }
}
