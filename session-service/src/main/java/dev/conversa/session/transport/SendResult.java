package dev.conversa.session.transport;

import java.time.Instant;
import java.util.Objects;

/** What WhatsApp answered to a send. */
public sealed interface SendResult {

    /**
     * WhatsApp took the message.
     *
     * @param waMessageId WhatsApp's id of the message ({@code wamid.…})
     * @param acceptedAt  when WhatsApp took it
     */
    record Accepted(String waMessageId, Instant acceptedAt) implements SendResult {

        public Accepted {
            Objects.requireNonNull(waMessageId, "waMessageId");
            Objects.requireNonNull(acceptedAt, "acceptedAt");
        }
    }

    /**
     * WhatsApp refused the message.
     *
     * @param code      the protocol's code (linked: 400, 403, 428, 500) or Meta's error code (131026, 130429 …)
     * @param title     the reason as WhatsApp gave it; never message content
     * @param retryable whether sending the same message later may succeed (rate limits, outages)
     */
    record Rejected(int code, String title, boolean retryable) implements SendResult {

        public Rejected {
            Objects.requireNonNull(title, "title");
        }
    }
}
