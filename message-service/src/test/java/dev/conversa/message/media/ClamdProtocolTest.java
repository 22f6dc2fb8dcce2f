package dev.conversa.message.media;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ClamdProtocolTest {

    @Test
    void okMeansClean() {
        assertThat(ClamdProtocol.parse("stream: OK\0").verdict()).isEqualTo(ClamdProtocol.Verdict.CLEAN);
    }

    @Test
    void foundNamesTheSignature() {
        ClamdProtocol.Outcome outcome = ClamdProtocol.parse("stream: Eicar-Test-Signature FOUND\0");

        assertThat(outcome.verdict()).isEqualTo(ClamdProtocol.Verdict.INFECTED);
        assertThat(outcome.detail()).isEqualTo("Eicar-Test-Signature");
    }

    @Test
    void anythingElseIsAnError() {
        assertThat(ClamdProtocol.parse("INSTREAM size limit exceeded. ERROR\0").verdict())
                .isEqualTo(ClamdProtocol.Verdict.ERROR);
        assertThat(ClamdProtocol.parse("").detail()).isEqualTo("no answer");
    }

    @Test
    void chunkLengthsAreFourBytesInNetworkOrder() {
        assertThat(ClamdProtocol.lengthPrefix(65536)).containsExactly(0, 1, 0, 0);
        assertThat(ClamdProtocol.lengthPrefix(258)).containsExactly(0, 0, 1, 2);
        assertThat(ClamdProtocol.COMMAND).endsWith(0);
    }
}
