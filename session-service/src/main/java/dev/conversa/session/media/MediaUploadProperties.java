package dev.conversa.session.media;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code conversa.session.media.upload.*}: how stored files are uploaded to WhatsApp before a media message names
 * them.
 *
 * @param timeout  longest one upload (reading the file from storage and sending it to WhatsApp) may take; then the
 *                 send is queued again with back-off, as for a retryable refusal
 * @param reuseFor how long WhatsApp's id of an uploaded file is reused by later sends of the same session (a campaign
 *                 sends one file to many): Meta keeps uploads 30 days; a send refused after all drops the id
 */
@ConfigurationProperties("conversa.session.media.upload")
public record MediaUploadProperties(
        @DefaultValue("120s") Duration timeout,
        @DefaultValue("24h") Duration reuseFor) {

    public MediaUploadProperties {
        if (timeout == null || !timeout.isPositive()) {
            throw new IllegalArgumentException("conversa.session.media.upload.timeout must be positive");
        }
        if (reuseFor == null || reuseFor.isNegative() || reuseFor.compareTo(Duration.ofDays(29)) > 0) {
            throw new IllegalArgumentException("conversa.session.media.upload.reuse-for must be in [0, 29d]");
        }
    }
}
