package dev.conversa.simulator.webhook;

/**
 * Meta's webhook misbehaviours a receiver must survive, switched on per simulator or per number.
 *
 * @param duplicateRate   fraction (0–1) of POSTs sent twice
 * @param reorderStatuses post {@code delivered} after {@code read}
 */
public record WebhookBehaviour(double duplicateRate, boolean reorderStatuses) {

    public static final WebhookBehaviour NORMAL = new WebhookBehaviour(0, false);

    public WebhookBehaviour {
        if (!(duplicateRate >= 0 && duplicateRate <= 1)) {
            throw new IllegalArgumentException("duplicateRate must be between 0.0 and 1.0");
        }
    }
}
