package dev.conversa.messaging;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How consumers and producers behave ({@code conversa.messaging.*}).
 *
 * @param maxAttempts     attempts of a handler before its record goes to the dead-letter topic
 * @param initialBackoff  first pause between attempts, doubled each time (with jitter)
 * @param maxBackoff      longest pause between attempts
 * @param handlerTimeout  how long one attempt may take
 * @param publishTimeout  how long a publish may wait for the broker's acknowledgement
 */
@ConfigurationProperties("conversa.messaging")
public record MessagingProperties(
        @DefaultValue("5") int maxAttempts,
        @DefaultValue("200ms") Duration initialBackoff,
        @DefaultValue("10s") Duration maxBackoff,
        @DefaultValue("30s") Duration handlerTimeout,
        @DefaultValue("15s") Duration publishTimeout) {

    public MessagingProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("conversa.messaging.max-attempts must be at least 1");
        }
    }
}
