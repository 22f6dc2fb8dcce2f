package dev.conversa.simulator.core;

import java.time.Clock;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import dev.conversa.simulator.ban.BanModel;
import dev.conversa.simulator.phone.PhoneBook;
import dev.conversa.simulator.truth.GroundTruth;

/**
 * Accepts a business number's send for any transport: refuses it if the number is banned, feeds the ban model,
 * gives it a WhatsApp id, records it in the ground truth, and schedules its receipts to {@code receipts}.
 * Transport-specific limits (Cloud API throughput, pair rate, 24-hour window) are checked by the transport first.
 */
@Component
public class OutboundService {

    private final BanModel bans;
    private final GroundTruth truth;
    private final ReceiptScheduler receipts;
    private final PhoneBook phones;
    private final Clock clock;

    public OutboundService(BanModel bans, GroundTruth truth, ReceiptScheduler receipts, PhoneBook phones,
            Clock clock) {
        this.bans = bans;
        this.truth = truth;
        this.receipts = receipts;
        this.phones = phones;
        this.clock = clock;
    }

    public OutboundResult accept(OutboundRequest request, Consumer<Receipt> receiptSink) {
        if (bans.isBanned(request.businessNumber())) {
            return new OutboundResult.Banned(request.businessNumber());
        }
        phones.resolve(request.to());
        OutboundMessage message = new OutboundMessage(request, WaMessageIds.next(), clock.instant());
        truth.recordOutbound(message);
        bans.observeSend(request.businessNumber(), request.to());
        receipts.schedule(message, receiptSink);
        return new OutboundResult.Accepted(message);
    }
}
