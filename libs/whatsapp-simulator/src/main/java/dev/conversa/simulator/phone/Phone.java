package dev.conversa.simulator.phone;

import java.time.Instant;

/**
 * A simulated WhatsApp user: a customer who writes to businesses, or the business owner's phone that links devices.
 *
 * @param number     digits with country code ({@code wa_id})
 * @param name       the push name shown to businesses
 * @param onWhatsApp false for numbers that are not WhatsApp users: sends to them fail (131026)
 */
public record Phone(String number, String name, boolean onWhatsApp, Instant createdAt) {
}
