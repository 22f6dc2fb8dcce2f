package dev.conversa.simulator.control;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.simulator.core.FaultInjector;
import dev.conversa.simulator.phone.PhoneNumbers;

/** {@code /sim/faults}: latency and dropped acknowledgements, per business number or for all ({@code "*"}). */
@RestController
@RequestMapping("/sim/faults")
class FaultController {

    record SetFault(String number, @Nullable Long latencyMillis, @Nullable Double dropRate) {
    }

    private final FaultInjector faults;

    FaultController(FaultInjector faults) {
        this.faults = faults;
    }

    @PutMapping
    FaultInjector.Faults set(@RequestBody SetFault request) {
        String number = FaultInjector.ALL.equals(request.number()) ? FaultInjector.ALL
                : PhoneNumbers.digits(request.number());
        FaultInjector.Faults value = new FaultInjector.Faults(
                Duration.ofMillis(request.latencyMillis() == null ? 0 : request.latencyMillis()),
                request.dropRate() == null ? 0 : request.dropRate());
        faults.set(number, value);
        return value;
    }

    @GetMapping
    Map<String, FaultInjector.Faults> list() {
        return faults.all();
    }

    @DeleteMapping
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void clear() {
        faults.clear();
    }

    @DeleteMapping("/{number}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    void clear(@PathVariable String number) {
        faults.clear(FaultInjector.ALL.equals(number) ? FaultInjector.ALL : PhoneNumbers.digits(number));
    }
}
