package dev.conversa.simulator.truth;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.OutboundMessage;
import dev.conversa.simulator.core.OutboundRequest;
import dev.conversa.simulator.core.WaMessageIds;

class GroundTruthTest {

    private final GroundTruth truth = new GroundTruth();

    @Test
    void countsSendsPerNumberDeviceAndClientKeyAndExposesDuplicates() {
        truth.recordOutbound(sent("5491100000001", "device-1", "key-1"));
        truth.recordOutbound(sent("5491100000001", "device-1", "key-2"));
        truth.recordOutbound(sent("5491100000001", "device-1", "key-2"));
        truth.recordOutbound(sent("5491100000002", null, "key-1"));

        assertThat(truth.totalsOf("5491100000001").outboundAccepted()).isEqualTo(3);
        assertThat(truth.sentByDevice("device-1")).isEqualTo(3);
        assertThat(truth.sends("5491100000001", "key-1").count()).isEqualTo(1);
        assertThat(truth.sends("5491100000001", "key-2").count()).isEqualTo(2);
        assertThat(truth.sends("5491100000001", "key-2").waMessageIds()).hasSize(2).doesNotHaveDuplicates();
        assertThat(truth.sends("5491100000002", "key-1").count()).as("keys are per number").isEqualTo(1);
        GroundTruth.Duplicates duplicates = truth.duplicates(10);
        assertThat(duplicates.keys()).isEqualTo(1);
        assertThat(duplicates.sample()).singleElement().satisfies(sends -> assertThat(sends.count()).isEqualTo(2));
    }

    @Test
    void keepsExactCountsButBoundedIdsForAKeySentManyTimes() {
        for (int i = 0; i < 100; i++) {
            truth.recordOutbound(sent("5491100000001", null, "hot"));
        }
        GroundTruth.ClientRefSends sends = truth.sends("5491100000001", "hot");
        assertThat(sends.count()).isEqualTo(100);
        assertThat(sends.waMessageIds()).hasSize(GroundTruth.IDS_PER_KEY);
        assertThat(truth.duplicates(10).keys()).isEqualTo(1);
    }

    @Test
    void countsMessagesDeliveredToEachNumberAndResets() {
        InboundMessage inbound = new InboundMessage(WaMessageIds.next(), "5491155550000", "5491100000009", "Ana",
                "text", "hola", null, null, null, null, null, Instant.now(), null);
        truth.recordInbound(inbound);
        truth.recordInbound(inbound);
        assertThat(truth.totalsOf("5491100000009").inboundDelivered()).isEqualTo(2);

        truth.reset();
        assertThat(truth.all()).isEmpty();
    }

    private static OutboundMessage sent(String number, String device, String key) {
        return new OutboundMessage(new OutboundRequest(device == null ? "cloud-api" : "linked", number, device,
                "5491155550000", "text", "hola", key), WaMessageIds.next(), Instant.now());
    }
}
