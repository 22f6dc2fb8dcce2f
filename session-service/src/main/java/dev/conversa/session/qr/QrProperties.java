package dev.conversa.session.qr;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/**
 * QR rendering ({@code conversa.session.qr.*}): {@code image-size} is the width and height in pixels of the PNG that
 * {@code GET /api/v1/sessions/{id}/qr} returns, quiet zone included.
 */
@Validated
@ConfigurationProperties("conversa.session.qr")
public record QrProperties(@DefaultValue("" + QrImages.DEFAULT_SIZE) @Min(QrImages.MIN_SIZE) @Max(QrImages.MAX_SIZE)
        int imageSize) {
}
