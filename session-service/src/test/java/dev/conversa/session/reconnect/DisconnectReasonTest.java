package dev.conversa.session.reconnect;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class DisconnectReasonTest {

    @ParameterizedTest(name = "{0} \"{1}\" -> {2}")
    @CsvSource(nullValues = "null", value = {
        "401, logged out, LOGGED_OUT",
        "403, banned, BANNED",
        "408, connection lost, CONNECTION_LOST",
        "408, null, CONNECTION_LOST",
        "408, QR refs attempts ended, QR_REFS_ENDED",
        "408, Connection Failure: qr REFS attempts ended, QR_REFS_ENDED",
        "411, null, MULTIDEVICE_MISMATCH",
        "428, Connection Closed, CONNECTION_CLOSED",
        "440, connection replaced, CONNECTION_REPLACED",
        "500, unsupported protocol, BAD_SESSION",
        "503, null, UNAVAILABLE_SERVICE",
        "515, restart required, RESTART_REQUIRED",
        "4401, logged out, LOGGED_OUT",
        "4408, QR refs attempts ended, QR_REFS_ENDED",
        "4515, restart required, RESTART_REQUIRED",
        "1006, null, UNKNOWN",
        "418, null, UNKNOWN",
        "0, null, UNKNOWN",
    })
    void codeAndMessageMapToTheReason(int code, String message, DisconnectReason expected) {
        assertThat(DisconnectReason.of(code, message)).isEqualTo(expected);
    }

    @Test
    void onlyA408CanMeanTheQrRefsEnded() {
        assertThat(DisconnectReason.of(428, "QR refs attempts ended")).isEqualTo(DisconnectReason.CONNECTION_CLOSED);
        assertThat(DisconnectReason.of(500, "QR refs attempts ended")).isEqualTo(DisconnectReason.BAD_SESSION);
    }

    @ParameterizedTest
    @EnumSource(value = DisconnectReason.class, names = "UNKNOWN", mode = EnumSource.Mode.EXCLUDE)
    void everyKnownReasonRoundTripsThroughItsCode(DisconnectReason reason) {
        String message = reason == DisconnectReason.QR_REFS_ENDED ? DisconnectReason.QR_REFS_ENDED_MESSAGE : "x";

        assertThat(DisconnectReason.of(reason.code(), message)).isEqualTo(reason);
    }

    @Test
    void permanentReasonsAre401And403And411And440() {
        Set<Integer> permanent = Arrays.stream(DisconnectReason.values()).filter(DisconnectReason::permanent)
                .map(DisconnectReason::code).collect(Collectors.toSet());

        assertThat(permanent).containsExactlyInAnyOrder(401, 403, 411, 440);
    }
}
