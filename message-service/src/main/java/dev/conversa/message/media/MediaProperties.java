package dev.conversa.message.media;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/**
 * {@code conversa.media.*}: uploads, signed links and the optional antivirus scan. (Where the bytes go is
 * {@code conversa.media.storage.*}, libs/media-storage.)
 *
 * @param signingKey the HMAC-SHA256 key of signed links; required, at least 32 characters, from a secret
 * @param linkTtl    how long a signed link stays valid
 * @param limits     the largest file of each kind (WhatsApp's limits by default)
 * @param clamd      the clamd daemon that scans uploads; no host = no scan
 */
@Validated
@ConfigurationProperties("conversa.media")
public record MediaProperties(
        @NotBlank @Size(min = 32) String signingKey,
        @DefaultValue("5m") @NotNull Duration linkTtl,
        @DefaultValue @Valid Limits limits,
        @DefaultValue @Valid Clamd clamd) {

    /** Per kind, as WhatsApp's: images 5 MB, audio and video 16 MB, documents 100 MB. */
    public record Limits(
            @DefaultValue("5MB") DataSize image,
            @DefaultValue("16MB") DataSize audio,
            @DefaultValue("16MB") DataSize video,
            @DefaultValue("100MB") DataSize document) {

        DataSize of(MediaKind kind) {
            return switch (kind) {
                case IMAGE, STICKER -> image;
                case AUDIO -> audio;
                case VIDEO -> video;
                case DOCUMENT -> document;
            };
        }

        DataSize largest() {
            long max = Math.max(Math.max(image.toBytes(), audio.toBytes()),
                    Math.max(video.toBytes(), document.toBytes()));
            return DataSize.ofBytes(max);
        }
    }

    /**
     * @param host      clamd's host; empty turns scanning off (uploads are then recorded {@code not-scanned})
     * @param port      clamd's TCP port
     * @param timeout   longest a scan may take
     * @param chunkSize bytes per INSTREAM chunk (clamd's StreamMaxLength still bounds the whole file)
     */
    public record Clamd(
            @Nullable String host,
            @DefaultValue("3310") int port,
            @DefaultValue("30s") Duration timeout,
            @DefaultValue("64KB") DataSize chunkSize) {

        boolean enabled() {
            return host != null && !host.isBlank();
        }
    }
}
