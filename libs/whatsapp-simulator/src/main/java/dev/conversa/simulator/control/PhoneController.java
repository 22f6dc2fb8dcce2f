package dev.conversa.simulator.control;

import java.util.Collection;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

import dev.conversa.simulator.phone.Phone;
import dev.conversa.simulator.phone.PhoneBook;

/** {@code /sim/phones}: the simulated WhatsApp users. */
@RestController
@RequestMapping("/sim/phones")
class PhoneController {

    record CreatePhone(String number, @Nullable String name, @Nullable Boolean onWhatsApp) {
    }

    private final PhoneBook phones;

    PhoneController(PhoneBook phones) {
        this.phones = phones;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    Phone create(@RequestBody CreatePhone request) {
        return phones.create(request.number(), request.name(), request.onWhatsApp() == null || request.onWhatsApp());
    }

    @GetMapping
    Collection<Phone> list() {
        return phones.all();
    }

    @GetMapping("/{number}")
    Phone get(@PathVariable String number) {
        return phones.find(number)
                .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No phone " + number));
    }
}
