package dev.conversa.simulator.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import dev.conversa.simulator.phone.PhoneBook;
import dev.conversa.simulator.phone.PhoneProperties;

class ReceiptSchedulerTest {

    private final FaultInjector faults = new FaultInjector();
    private final PhoneBook phones = new PhoneBook(new PhoneProperties(true), Clock.systemUTC());
    private final ReceiptScheduler scheduler = new ReceiptScheduler(
            new ReceiptProperties(Duration.ofMillis(20), Duration.ofMillis(60)), faults, phones, Clock.systemUTC());

    @Test
    void recipientOnWhatsAppReportsSentDeliveredReadInOrder() {
        List<Receipt> receipts = new CopyOnWriteArrayList<>();
        scheduler.schedule(message("5491155550001"), receipts::add);

        await().atMost(Duration.ofSeconds(5)).until(() -> receipts.size() == 3);
        assertThat(receipts).extracting(Receipt::status)
                .containsExactly(ReceiptStatus.SENT, ReceiptStatus.DELIVERED, ReceiptStatus.READ);
    }

    @Test
    void recipientNotOnWhatsAppFailsWith131026() {
        phones.create("5491155550002", "Nobody", false);
        List<Receipt> receipts = new CopyOnWriteArrayList<>();
        scheduler.schedule(message("5491155550002"), receipts::add);

        assertThat(receipts).extracting(Receipt::status).containsExactly(ReceiptStatus.SENT, ReceiptStatus.FAILED);
        assertThat(receipts.get(1).errorCode()).isEqualTo(131026);
    }

    @Test
    void droppedReceiptsNeverArriveForThatNumberOnly() throws Exception {
        faults.set("5491100000001", new FaultInjector.Faults(Duration.ZERO, 1.0));
        List<Receipt> dropped = new CopyOnWriteArrayList<>();
        List<Receipt> kept = new CopyOnWriteArrayList<>();
        scheduler.schedule(message("5491155550003"), dropped::add);
        scheduler.schedule(new OutboundMessage(new OutboundRequest("linked", "5491100000002", "d2", "5491155550003",
                "text", "hola", null), WaMessageIds.next(), Instant.now()), kept::add);

        await().atMost(Duration.ofSeconds(5)).until(() -> kept.size() == 3);
        assertThat(dropped).isEmpty();
    }

    @Test
    void messageIdsAreUniqueAndShapedLikeWhatsApps() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            ids.add(WaMessageIds.next());
        }
        assertThat(ids).hasSize(10_000).allMatch(id -> id.startsWith("wamid."));
    }

    private static OutboundMessage message(String to) {
        return new OutboundMessage(new OutboundRequest("linked", "5491100000001", "d1", to, "text", "hola", "k"),
                WaMessageIds.next(), Instant.now());
    }
}
