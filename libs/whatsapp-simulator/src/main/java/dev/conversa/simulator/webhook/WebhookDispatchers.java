package dev.conversa.simulator.webhook;

import org.springframework.stereotype.Component;

/** Builds the webhook dispatcher of each Cloud API number, sharing one HTTP client and the global behaviour. */
@Component
public class WebhookDispatchers {

    private final WebhookClient client;
    private final WebhookPayloads payloads;
    private final WebhookProperties properties;
    private final WebhookBehaviours behaviours;

    public WebhookDispatchers(WebhookClient client, WebhookPayloads payloads, WebhookProperties properties,
            WebhookBehaviours behaviours) {
        this.client = client;
        this.payloads = payloads;
        this.properties = properties;
        this.behaviours = behaviours;
    }

    public WebhookDispatcher create(WebhookTarget target) {
        return new WebhookDispatcher(target, client, payloads, properties, behaviours::global);
    }

    public WebhookClient client() {
        return client;
    }
}
