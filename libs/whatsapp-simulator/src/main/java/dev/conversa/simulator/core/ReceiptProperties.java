package dev.conversa.simulator.core;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * When recipients' phones report back ({@code simulator.receipts.*}).
 *
 * @param deliveredAfter delay from acceptance to {@code delivered}
 * @param readAfter      delay from acceptance to {@code read}; zero or negative: messages are never read
 */
@ConfigurationProperties("simulator.receipts")
public record ReceiptProperties(
        @DefaultValue("200ms") Duration deliveredAfter,
        @DefaultValue("1s") Duration readAfter) {
}
