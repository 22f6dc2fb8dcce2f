package dev.conversa.simulator.control;

import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.simulator.phone.PhoneNumbers;
import dev.conversa.simulator.truth.GroundTruth;

/** {@code /sim/truth}: what the simulator really received and delivered. */
@RestController
@RequestMapping("/sim/truth")
class TruthController {

    private final GroundTruth truth;

    TruthController(GroundTruth truth) {
        this.truth = truth;
    }

    /** Per business number: sends accepted and messages delivered to it. */
    @GetMapping
    Map<String, GroundTruth.Totals> all() {
        return truth.all();
    }

    @GetMapping("/numbers/{number}")
    GroundTruth.Totals number(@PathVariable String number) {
        return truth.totalsOf(PhoneNumbers.digits(number));
    }

    record DeviceSends(String deviceId, long sent) {
    }

    /** Sends accepted from one linked device. */
    @GetMapping("/devices/{deviceId}")
    DeviceSends device(@PathVariable String deviceId) {
        return new DeviceSends(deviceId, truth.sentByDevice(deviceId));
    }

    /** How many sends carried this client key (idempotency key, any characters), and their WhatsApp ids. */
    @GetMapping("/numbers/{number}/client-refs")
    GroundTruth.ClientRefSends clientRef(@PathVariable String number, @RequestParam String key) {
        return truth.sends(PhoneNumbers.digits(number), key);
    }

    /** Client keys sent more than once: should be none. */
    @GetMapping("/duplicates")
    GroundTruth.Duplicates duplicates(@RequestParam(defaultValue = "100") int limit) {
        return truth.duplicates(Math.clamp(limit, 1, 1_000));
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void reset() {
        truth.reset();
    }
}
