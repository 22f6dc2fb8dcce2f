package dev.conversa.session.cloudwebhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * {@code conversa.session.cloud-webhook.*}.
 *
 * @param maxBodySize the largest webhook body read; Meta sends up to 3 MB, a larger one answers 413
 */
@ConfigurationProperties("conversa.session.cloud-webhook")
record CloudWebhookProperties(DataSize maxBodySize) {

    CloudWebhookProperties {
        if (maxBodySize == null) {
            maxBodySize = DataSize.ofMegabytes(3);
        }
        if (maxBodySize.toBytes() <= 0 || maxBodySize.toBytes() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("conversa.session.cloud-webhook.max-body-size must be 1 B .. 2 GB");
        }
    }
}
