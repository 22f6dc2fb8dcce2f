package dev.conversa.simulator.cloudapi;

import org.jspecify.annotations.Nullable;

import dev.conversa.simulator.webhook.WebhookBehaviour;
import dev.conversa.simulator.webhook.WebhookStats;

/**
 * A registered number as the control API shows it; the access token and app secret are not shown.
 *
 * @param webhookBehaviour    the behaviour in force
 * @param ownWebhookBehaviour whether it is the number's own rather than the simulator-wide one
 */
record CloudNumberView(String phoneNumberId, String phoneNumber, String displayName, String wabaId,
        @Nullable String webhookUrl, boolean verifyTokenSet, double messagesPerSecond,
        WebhookBehaviour webhookBehaviour, boolean ownWebhookBehaviour, WebhookStats webhooks) {

    static CloudNumberView of(RegisteredNumber registered) {
        CloudNumber number = registered.number();
        return new CloudNumberView(number.phoneNumberId(), number.phoneNumber(), number.displayName(),
                number.wabaId(), number.webhookUrl(), number.verifyToken() != null, number.messagesPerSecond(),
                registered.webhooks().behaviour(), registered.webhooks().ownBehaviour() != null,
                registered.webhooks().stats());
    }
}
