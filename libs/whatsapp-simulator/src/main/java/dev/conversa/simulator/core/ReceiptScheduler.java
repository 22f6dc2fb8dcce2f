package dev.conversa.simulator.core;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.phone.PhoneBook;
import reactor.core.publisher.Mono;

/**
 * Plays the recipient's phone for an accepted message: {@code sent} at once, {@code delivered} and {@code read} after
 * the configured delays, or {@code failed} with 131026 when the recipient is not on WhatsApp. Faults may drop
 * receipts or delay them.
 */
@Component
public class ReceiptScheduler {

    static final int NOT_ON_WHATSAPP = 131026;
    private static final Logger log = LoggerFactory.getLogger(ReceiptScheduler.class);

    private final ReceiptProperties properties;
    private final FaultInjector faults;
    private final PhoneBook phones;
    private final Clock clock;

    public ReceiptScheduler(ReceiptProperties properties, FaultInjector faults, PhoneBook phones, Clock clock) {
        this.properties = properties;
        this.faults = faults;
        this.phones = phones;
        this.clock = clock;
    }

    public void schedule(OutboundMessage message, Consumer<Receipt> sink) {
        emit(message, sink, ReceiptStatus.SENT, Duration.ZERO);
        if (!phones.isOnWhatsApp(message.to())) {
            emitFailure(message, sink);
            return;
        }
        emit(message, sink, ReceiptStatus.DELIVERED, properties.deliveredAfter());
        if (properties.readAfter().isPositive()) {
            emit(message, sink, ReceiptStatus.READ, properties.readAfter());
        }
    }

    private void emit(OutboundMessage message, Consumer<Receipt> sink, ReceiptStatus status, Duration after) {
        if (faults.drop(message.businessNumber())) {
            return;
        }
        Duration delay = after.plus(faults.latency(message.businessNumber()));
        Receipt receipt = new Receipt(message, status, clock.instant().plus(delay), null, null);
        if (delay.isZero()) {
            deliver(sink, receipt);
        }
        else {
            Mono.delay(delay).subscribe(tick -> deliver(sink, receipt));
        }
    }

    private void emitFailure(OutboundMessage message, Consumer<Receipt> sink) {
        deliver(sink, new Receipt(message, ReceiptStatus.FAILED, clock.instant(), NOT_ON_WHATSAPP,
                "Message undeliverable"));
    }

    private static void deliver(Consumer<Receipt> sink, Receipt receipt) {
        try {
            sink.accept(receipt);
        }
        catch (RuntimeException e) {
            log.warn("Receipt {} of {} not handed over: {}", receipt.status().value(), receipt.waMessageId(),
                    e.toString());
        }
    }
}
