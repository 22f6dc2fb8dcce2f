package dev.conversa.simulator.webhook;

import org.springframework.stereotype.Component;

/**
 * The simulator-wide webhook behaviour ({@code PUT /sim/cloud/webhooks/behaviour}), starting from
 * {@code simulator.webhooks.duplicate-rate} and {@code reorder-statuses}; a number may override it.
 */
@Component
public class WebhookBehaviours {

    private volatile WebhookBehaviour global;

    public WebhookBehaviours(WebhookProperties properties) {
        this.global = new WebhookBehaviour(properties.duplicateRate(), properties.reorderStatuses());
    }

    public WebhookBehaviour global() {
        return global;
    }

    public void setGlobal(WebhookBehaviour behaviour) {
        this.global = behaviour;
    }
}
