package dev.conversa.simulator.truth;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

import dev.conversa.simulator.core.InboundMessage;
import dev.conversa.simulator.core.OutboundMessage;

/**
 * What the simulator really received and delivered, so tests and benchmarks can prove "no message lost, none sent
 * twice": sends per business number and per client key, messages delivered per business number. Counters are exact
 * at any volume; the WhatsApp ids kept per client key are capped so a long load run stays in bounded memory.
 */
@Component
public class GroundTruth {

    static final int IDS_PER_KEY = 8;

    private final ConcurrentMap<String, NumberTotals> numbers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, KeyedSends> byClientRef = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, LongAdder> byDevice = new ConcurrentHashMap<>();
    private final AtomicLong duplicateKeys = new AtomicLong();

    /** Totals of one business number. */
    public record Totals(long outboundAccepted, long inboundDelivered) {
    }

    /**
     * Sends carrying one client key: how many, (up to a cap) their WhatsApp ids, and the type and media object of
     * the first one (what the recipient got), so a test can check that a media message carried the right file.
     */
    public record ClientRefSends(String clientRef, long count, List<String> waMessageIds, @Nullable String type,
            @Nullable String mediaId) {
    }

    public void recordOutbound(OutboundMessage message) {
        totals(message.businessNumber()).outbound.increment();
        String deviceId = message.request().deviceId();
        if (deviceId != null) {
            byDevice.computeIfAbsent(deviceId, key -> new LongAdder()).increment();
        }
        String clientRef = message.request().clientRef();
        if (clientRef != null) {
            KeyedSends sends = byClientRef.computeIfAbsent(key(message.businessNumber(), clientRef),
                    key -> new KeyedSends(message.request().type(), message.request().mediaId()));
            if (sends.add(message.waMessageId()) == 2) {
                duplicateKeys.incrementAndGet();
            }
        }
    }

    public void recordInbound(InboundMessage message) {
        totals(message.to()).inbound.increment();
    }

    public Totals totalsOf(String businessNumber) {
        NumberTotals totals = numbers.get(businessNumber);
        return totals == null ? new Totals(0, 0) : totals.snapshot();
    }

    /** Totals of every number that sent or received. */
    public Map<String, Totals> all() {
        Map<String, Totals> snapshot = new TreeMap<>();
        numbers.forEach((number, totals) -> snapshot.put(number, totals.snapshot()));
        return snapshot;
    }

    /** Sends accepted from one linked device. */
    public long sentByDevice(String deviceId) {
        LongAdder sent = byDevice.get(deviceId);
        return sent == null ? 0 : sent.sum();
    }

    public ClientRefSends sends(String businessNumber, String clientRef) {
        KeyedSends sends = byClientRef.get(key(businessNumber, clientRef));
        return sends == null ? new ClientRefSends(clientRef, 0, List.of(), null, null) : sends.view(clientRef);
    }

    /** Client keys that were sent more than once (capped list), and how many such keys there are. */
    public Duplicates duplicates(int limit) {
        List<ClientRefSends> sample = byClientRef.entrySet().stream()
                .filter(entry -> entry.getValue().count.get() > 1)
                .limit(limit)
                .map(entry -> entry.getValue().view(entry.getKey()))
                .toList();
        return new Duplicates(duplicateKeys.get(), sample);
    }

    public record Duplicates(long keys, List<ClientRefSends> sample) {
    }

    public void reset() {
        numbers.clear();
        byClientRef.clear();
        byDevice.clear();
        duplicateKeys.set(0);
    }

    private NumberTotals totals(String number) {
        return numbers.computeIfAbsent(number, key -> new NumberTotals());
    }

    private static String key(String businessNumber, @Nullable String clientRef) {
        return businessNumber + "/" + clientRef;
    }

    private static final class NumberTotals {
        final LongAdder outbound = new LongAdder();
        final LongAdder inbound = new LongAdder();

        Totals snapshot() {
            return new Totals(outbound.sum(), inbound.sum());
        }
    }

    private static final class KeyedSends {
        final AtomicLong count = new AtomicLong();
        final List<String> ids = new CopyOnWriteArrayList<>();
        final String type;
        final @Nullable String mediaId;

        KeyedSends(String type, @Nullable String mediaId) {
            this.type = type;
            this.mediaId = mediaId;
        }

        ClientRefSends view(String clientRef) {
            return new ClientRefSends(clientRef, count.get(), List.copyOf(ids), type, mediaId);
        }

        long add(String waMessageId) {
            long seen = count.incrementAndGet();
            if (seen <= IDS_PER_KEY) {
                ids.add(waMessageId);
            }
            return seen;
        }
    }
}
