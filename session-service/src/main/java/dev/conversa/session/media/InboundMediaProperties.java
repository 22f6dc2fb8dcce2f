package dev.conversa.session.media;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code conversa.session.media.*}: how inbound media files are downloaded from WhatsApp before their message is
 * published. (Where they are stored is {@code conversa.media.storage.*}, libs/media-storage, shared with
 * message-service, which serves them.)
 *
 * @param attempts        downloads tried per file, each with a fresh Cloud API URL (they expire after 5 minutes)
 * @param firstBackoff    the pause before the second attempt; it doubles from there (with jitter)
 * @param attemptTimeout  longest one attempt (URL + bytes) may take
 * @param maxSize         larger files are not downloaded (WhatsApp's own ceiling is 100 MB)
 */
@ConfigurationProperties("conversa.session.media")
public record InboundMediaProperties(
        @DefaultValue("3") int attempts,
        @DefaultValue("500ms") Duration firstBackoff,
        @DefaultValue("60s") Duration attemptTimeout,
        @DefaultValue("100MB") DataSize maxSize) {

    public InboundMediaProperties {
        if (attempts < 1 || attempts > 10) {
            throw new IllegalArgumentException("conversa.session.media.attempts must be in 1..10, was " + attempts);
        }
    }
}
