package dev.conversa.simulator.phone;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param unknownNumbersAreOnWhatsApp whether a number never created through the control API counts as a WhatsApp
 *                                    user (created on first use) or as not on WhatsApp
 */
@ConfigurationProperties("simulator.phones")
public record PhoneProperties(@DefaultValue("true") boolean unknownNumbersAreOnWhatsApp) {
}
