package dev.conversa.simulator.linked;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void pairingCodesAreEightCrockfordCharactersAndRarelyRepeat() {
        Set<String> codes = IntStream.range(0, 5000).mapToObj(i -> Secrets.pairingCode()).collect(Collectors.toSet());
        assertThat(codes).allMatch(code -> code.matches("[0-9A-HJKMNP-TV-Z]{8}"));
        assertThat(codes).hasSizeGreaterThan(4990);
        String all = String.join("", codes);
        assertThat(Secrets.CROCKFORD.chars()).allMatch(c -> all.indexOf(c) >= 0);
    }

    @Test
    void qrRefsLookLikeWhatsAppsAndDeviceIdsAreUnique() {
        assertThat(Secrets.qrRef()).matches("2@[A-Za-z0-9_-]{32}");
        assertThat(IntStream.range(0, 1000).mapToObj(i -> Secrets.deviceId()).distinct()).hasSize(1000);
        assertThat(Secrets.secret()).hasSize(43);
    }
}
