package dev.conversa.message.inbox;

import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

import dev.conversa.events.conversation.MessageDirection;
import dev.conversa.events.message.DeliveryStatus;

/**
 * The inbox's business meters: {@code conversa.messages.stored{direction}} counts messages stored for the first time
 * (duplicates are not counted), {@code conversa.messages.status{status}} the messages a status moved forward. The
 * counters are registered once, so counting on the ingest path is an increment.
 */
@Component
public class MessageMetrics {

    private final Map<MessageDirection, Counter> stored = new EnumMap<>(MessageDirection.class);
    private final Map<DeliveryStatus, Counter> moved = new EnumMap<>(DeliveryStatus.class);

    public MessageMetrics(MeterRegistry registry) {
        for (MessageDirection direction : MessageDirection.values()) {
            stored.put(direction, Counter.builder("conversa.messages.stored")
                    .tag("direction", direction.name().toLowerCase())
                    .description("Messages stored for the first time").register(registry));
        }
        for (DeliveryStatus status : DeliveryStatus.values()) {
            moved.put(status, Counter.builder("conversa.messages.status").tag("status", status.name().toLowerCase())
                    .description("Messages whose status moved forward, by the status reached").register(registry));
        }
    }

    /** {@code count} new messages of {@code direction} were stored. */
    public void stored(MessageDirection direction, int count) {
        if (count > 0) {
            stored.get(direction).increment(count);
        }
    }

    /** These messages moved to the status they now have. */
    public void moved(Collection<MessageRow> messages) {
        for (MessageRow message : messages) {
            moved.get(message.status()).increment();
        }
    }
}
