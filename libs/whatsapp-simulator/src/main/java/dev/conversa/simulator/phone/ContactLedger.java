package dev.conversa.simulator.phone;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.springframework.stereotype.Component;

/**
 * When each customer last wrote to each business number: opens the 24-hour customer-service window of the Cloud
 * API, and tells the ban model whether a business writes to people who wrote to it first.
 */
@Component
public class ContactLedger {

    private final ConcurrentMap<String, Instant> lastInbound = new ConcurrentHashMap<>();

    public void recordInbound(String businessNumber, String customerNumber, Instant at) {
        lastInbound.merge(key(businessNumber, customerNumber), at, (old, now) -> now.isAfter(old) ? now : old);
    }

    public Optional<Instant> lastInbound(String businessNumber, String customerNumber) {
        return Optional.ofNullable(lastInbound.get(key(businessNumber, customerNumber)));
    }

    public boolean hasWritten(String businessNumber, String customerNumber) {
        return lastInbound.containsKey(key(businessNumber, customerNumber));
    }

    private static String key(String businessNumber, String customerNumber) {
        return PhoneNumbers.digits(businessNumber) + ">" + PhoneNumbers.digits(customerNumber);
    }
}
