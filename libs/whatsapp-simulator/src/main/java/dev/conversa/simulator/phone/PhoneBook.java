package dev.conversa.simulator.phone;

import java.time.Clock;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.stereotype.Component;

/** Every phone the simulator knows, by number. */
@Component
public class PhoneBook {

    private final ConcurrentMap<String, Phone> phones = new ConcurrentHashMap<>();
    private final PhoneProperties properties;
    private final Clock clock;

    public PhoneBook(PhoneProperties properties, Clock clock) {
        this.properties = properties;
        this.clock = clock;
    }

    /** Creates or replaces a phone. */
    public Phone create(String number, String name, boolean onWhatsApp) {
        String digits = PhoneNumbers.digits(number);
        Phone phone = new Phone(digits, name == null || name.isBlank() ? "+" + digits : name, onWhatsApp,
                clock.instant());
        phones.put(digits, phone);
        return phone;
    }

    public Optional<Phone> find(String number) {
        return Optional.ofNullable(phones.get(PhoneNumbers.digits(number)));
    }

    /** The phone of a number, created on first use as a WhatsApp user unless configured otherwise. */
    public Phone resolve(String number) {
        String digits = PhoneNumbers.digits(number);
        return phones.computeIfAbsent(digits, key -> new Phone(key, "+" + key,
                properties.unknownNumbersAreOnWhatsApp(), clock.instant()));
    }

    public boolean isOnWhatsApp(String number) {
        return resolve(number).onWhatsApp();
    }

    public Collection<Phone> all() {
        return phones.values();
    }
}
