package dev.conversa.message.inbox;

import java.util.Collection;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.message.DeliveryStatus;

/**
 * The inbox's business meters: {@code conversa.messages.stored{direction}} counts messages stored for the first time
 * (duplicates are not counted), {@code conversa.messages.status{status}} the messages a status moved forward.
 */
@Component
public class MessageMetrics {

    private final MeterRegistry registry;

    public MessageMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** {@code count} new messages of {@code direction} were stored. */
    public void stored(MessageDirection direction, int count) {
        if (count > 0) {
            Counter.builder("conversa.messages.stored").tag("direction", direction.name().toLowerCase())
                    .description("Messages stored for the first time").register(registry).increment(count);
        }
    }

    /** These messages moved to the status they now have. */
    public void moved(Collection<MessageRow> messages) {
        for (MessageRow message : messages) {
            DeliveryStatus status = message.status();
            Counter.builder("conversa.messages.status").tag("status", status.name().toLowerCase())
                    .description("Messages whose status moved forward, by the status reached").register(registry)
                    .increment();
        }
    }
}
