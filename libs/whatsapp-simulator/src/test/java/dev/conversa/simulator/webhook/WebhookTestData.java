package dev.conversa.simulator.webhook;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.unit.DataSize;

import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.OutboundMessage;
import dev.conversa.simulator.core.OutboundRequest;
import dev.conversa.simulator.core.Receipt;
import dev.conversa.simulator.core.ReceiptStatus;
import dev.conversa.simulator.media.MediaProperties;
import dev.conversa.simulator.media.MediaStore;
import dev.conversa.simulator.media.SignedMediaUrls;
import tools.jackson.databind.json.JsonMapper;

/** Webhook building blocks without Spring, and sample events. */
final class WebhookTestData {

    static final String BUSINESS = "5491100000001";
    static final String CUSTOMER = "5491155550001";
    static final String SECRET = "app-secret";
    static final Instant AT = Instant.parse("2026-05-01T12:00:00Z");

    final MediaStore media;
    final SignedMediaUrls urls;
    final WebhookPayloads payloads;

    WebhookTestData() {
        MediaProperties properties = new MediaProperties(DataSize.ofMegabytes(1), Duration.ofMinutes(5),
                "http://sim.test:8090");
        media = new MediaStore(properties, Clock.systemUTC());
        urls = new SignedMediaUrls(properties, new StandardEnvironment(), Clock.systemUTC());
        payloads = new WebhookPayloads(JsonMapper.builder().build(), media, urls);
    }

    static WebhookTarget target(String url) {
        return new WebhookTarget(url, SECRET, "102290129340398", "106540352242922", BUSINESS);
    }

    static WebhookProperties properties(int maxAttempts, int queueCapacity, int maxBatch) {
        return properties(maxAttempts, queueCapacity, maxBatch, Duration.ofSeconds(3));
    }

    static WebhookProperties properties(int maxAttempts, int queueCapacity, int maxBatch, Duration timeout) {
        return new WebhookProperties(Duration.ofMillis(50), Duration.ofMillis(200), maxAttempts, timeout,
                Duration.ofSeconds(1), queueCapacity, maxBatch, 0, false, Duration.ofMillis(800), 10);
    }

    static InboundMessage text(String waMessageId, String body) {
        return new InboundMessage(waMessageId, CUSTOMER, BUSINESS, "Ana", "text", body, null, null, null, null, null,
                AT, null);
    }

    static OutboundMessage outbound(String waMessageId, String type, String clientRef) {
        return new OutboundMessage(new OutboundRequest("cloud-api", BUSINESS, null, CUSTOMER, type, "hola",
                clientRef), waMessageId, AT);
    }

    static Receipt receipt(OutboundMessage message, ReceiptStatus status) {
        return new Receipt(message, status, AT, null, null);
    }
}
