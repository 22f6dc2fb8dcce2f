package dev.conversa.simulator.cloudapi;

import java.security.SecureRandom;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

import dev.conversa.simulator.phone.PhoneNumbers;
import dev.conversa.simulator.webhook.WebhookDispatchers;

/**
 * The registered Cloud API numbers, by phone number id and by phone number. Registering an existing id replaces its
 * settings and keeps its webhook queue; a phone number belongs to one id at a time.
 */
@Component
public class CloudNumbers implements DisposableBean {

    private final ConcurrentMap<String, RegisteredNumber> byId = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, RegisteredNumber> byPhone = new ConcurrentHashMap<>();
    private final CloudApiProperties properties;
    private final WebhookDispatchers dispatchers;
    private final SecureRandom random = new SecureRandom();

    public CloudNumbers(CloudApiProperties properties, WebhookDispatchers dispatchers) {
        this.properties = properties;
        this.dispatchers = dispatchers;
        properties.numbers().forEach(this::register);
    }

    /**
     * Registers or replaces a number.
     *
     * @throws IllegalArgumentException the phone number is not one
     * @throws NumberConflictException  the phone number is registered under another id
     */
    public synchronized CloudNumber register(CloudNumberRegistration registration) {
        CloudNumber number = normalise(registration);
        RegisteredNumber owner = byPhone.get(number.phoneNumber());
        if (owner != null && !owner.number().phoneNumberId().equals(number.phoneNumberId())) {
            throw new NumberConflictException("+" + number.phoneNumber() + " is registered as phone number id "
                    + owner.number().phoneNumberId());
        }
        RegisteredNumber existing = byId.get(number.phoneNumberId());
        if (existing != null) {
            byPhone.remove(existing.number().phoneNumber());
            existing.update(number, limits(number));
            byPhone.put(number.phoneNumber(), existing);
            return number;
        }
        RegisteredNumber registered = new RegisteredNumber(number,
                dispatchers.create(RegisteredNumber.target(number)), limits(number),
                properties.receivedIdsPerNumber());
        byId.put(number.phoneNumberId(), registered);
        byPhone.put(number.phoneNumber(), registered);
        return number;
    }

    public Optional<CloudNumber> find(String phoneNumberId) {
        return registered(phoneNumberId).map(RegisteredNumber::number);
    }

    public Optional<CloudNumber> findByPhoneNumber(String phoneNumber) {
        return registeredByPhone(phoneNumber).map(RegisteredNumber::number);
    }

    public List<CloudNumber> all() {
        return byId.values().stream()
                .map(RegisteredNumber::number)
                .sorted(Comparator.comparing(CloudNumber::phoneNumberId))
                .toList();
    }

    /** Unregisters a number and drops its pending webhooks. */
    public synchronized boolean remove(String phoneNumberId) {
        RegisteredNumber removed = byId.remove(phoneNumberId);
        if (removed == null) {
            return false;
        }
        byPhone.remove(removed.number().phoneNumber(), removed);
        removed.webhooks().close();
        return true;
    }

    Optional<RegisteredNumber> registered(String phoneNumberId) {
        return Optional.ofNullable(byId.get(phoneNumberId));
    }

    Optional<RegisteredNumber> registeredByPhone(@Nullable String phoneNumber) {
        if (phoneNumber == null) {
            return Optional.empty();
        }
        RegisteredNumber registered = byPhone.get(phoneNumber);
        if (registered != null) {
            return Optional.of(registered);
        }
        try {
            return Optional.ofNullable(byPhone.get(PhoneNumbers.digits(phoneNumber)));
        }
        catch (IllegalArgumentException notANumber) {
            return Optional.empty();
        }
    }

    Collection<RegisteredNumber> registeredNumbers() {
        return byId.values();
    }

    /** Whether some registered number takes this token (an app's token works on all its numbers' media). */
    boolean isKnownToken(@Nullable String token) {
        return token != null && byId.values().stream().anyMatch(number -> number.acceptsToken(token));
    }

    @Override
    public void destroy() {
        byId.values().forEach(number -> number.webhooks().close());
    }

    private SendLimits limits(CloudNumber number) {
        return new SendLimits(number.messagesPerSecond(), properties, System::nanoTime);
    }

    private CloudNumber normalise(CloudNumberRegistration registration) {
        String digits = PhoneNumbers.digits(registration.phoneNumber());
        String displayName = StringUtils.hasText(registration.displayName()) ? registration.displayName()
                : PhoneNumbers.e164(digits);
        String wabaId = StringUtils.hasText(registration.wabaId()) ? registration.wabaId()
                : Long.toString(100_000_000_000_000L + random.nextLong(900_000_000_000_000L));
        double rate = registration.messagesPerSecond() != null ? registration.messagesPerSecond()
                : properties.messagesPerSecond();
        String webhookUrl = StringUtils.hasText(registration.webhookUrl()) ? registration.webhookUrl() : null;
        return new CloudNumber(registration.phoneNumberId(), digits, displayName, registration.accessToken(),
                registration.appSecret(), webhookUrl, registration.verifyToken(), wabaId, rate);
    }

    /** A phone number registered under another phone number id. */
    public static class NumberConflictException extends IllegalStateException {

        NumberConflictException(String message) {
            super(message);
        }
    }
}
