package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DisconnectCodesTest {

    @Test
    void closeStatusIs4000PlusTheCodeWithTheReason() {
        assertThat(Disconnect.QR_REFS_ENDED.closeStatus().getCode()).isEqualTo(4408);
        assertThat(Disconnect.QR_REFS_ENDED.closeStatus().getReason()).isEqualTo("QR refs attempts ended");
        assertThat(Disconnect.of(515).reason()).isEqualTo("restart required");
    }

    @Test
    void longReasonIsCutTo123BytesInTheCloseFrameOnly() {
        Disconnect disconnect = new Disconnect(403, "ñ".repeat(100));
        assertThat(disconnect.reason()).hasSize(100);
        assertThat(disconnect.closeStatus().getReason().getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .hasSizeLessThanOrEqualTo(123);
    }

    @Test
    void codesOutsideTheProtocolAreRejected() {
        assertThatThrownBy(() -> Disconnect.of(404)).isInstanceOf(IllegalArgumentException.class);
    }
}
