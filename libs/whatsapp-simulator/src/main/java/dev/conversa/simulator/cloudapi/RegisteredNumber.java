package dev.conversa.simulator.cloudapi;

import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import dev.conversa.simulator.core.Receipt;
import dev.conversa.simulator.webhook.WebhookDispatcher;
import dev.conversa.simulator.webhook.WebhookTarget;

/** A registered number at run time: its settings, webhook dispatcher, send limits and the message ids it received. */
final class RegisteredNumber {

    private final WebhookDispatcher webhooks;
    private final int receivedCapacity;
    private final Map<String, Boolean> received;
    private volatile CloudNumber number;
    private volatile SendLimits limits;

    RegisteredNumber(CloudNumber number, WebhookDispatcher webhooks, SendLimits limits, int receivedCapacity) {
        this.number = number;
        this.webhooks = webhooks;
        this.limits = limits;
        this.receivedCapacity = receivedCapacity;
        this.received = new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > RegisteredNumber.this.receivedCapacity;
            }
        };
    }

    CloudNumber number() {
        return number;
    }

    WebhookDispatcher webhooks() {
        return webhooks;
    }

    SendLimits limits() {
        return limits;
    }

    /** New settings for the same phone number id: webhooks follow at once; limits restart if the rate changed. */
    void update(CloudNumber updated, SendLimits newLimits) {
        if (updated.messagesPerSecond() != number.messagesPerSecond()) {
            limits = newLimits;
        }
        number = updated;
        webhooks.retarget(target(updated));
    }

    boolean acceptsToken(@Nullable String token) {
        return token != null && MessageDigest.isEqual(number.accessToken().getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    void rememberReceived(String waMessageId) {
        synchronized (received) {
            received.put(waMessageId, Boolean.TRUE);
        }
    }

    boolean hasReceived(String waMessageId) {
        synchronized (received) {
            return received.containsKey(waMessageId);
        }
    }

    /** Where {@code OutboundService} hands this number's receipts: to its webhook. */
    void onReceipt(Receipt receipt) {
        webhooks.status(receipt);
    }

    static WebhookTarget target(CloudNumber number) {
        return new WebhookTarget(number.webhookUrl(), number.appSecret(), number.wabaId(), number.phoneNumberId(),
                number.phoneNumber());
    }
}
