package dev.conversa.simulator.ban;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import dev.conversa.simulator.phone.ContactLedger;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * Decides when WhatsApp would ban a number for how it sends (see {@link BanProperties}), and tells the transports
 * through {@link #notices()}. Numbers can also be banned and unbanned by hand from the control API.
 */
@Component
public class BanModel {

    private final BanProperties properties;
    private final ContactLedger contacts;
    private final Clock clock;
    private final Map<String, NumberConduct> conduct = new ConcurrentHashMap<>();
    private final Set<String> banned = ConcurrentHashMap.newKeySet();
    private final Sinks.Many<AccountNotice> notices = Sinks.many().multicast().directBestEffort();

    public BanModel(BanProperties properties, ContactLedger contacts, Clock clock) {
        this.properties = properties;
        this.contacts = contacts;
        this.clock = clock;
    }

    public boolean isBanned(String businessNumber) {
        return banned.contains(businessNumber);
    }

    /** Notices for transports; subscribers see notices from the moment they subscribe. */
    public Flux<AccountNotice> notices() {
        return notices.asFlux();
    }

    public void observeSend(String businessNumber, String recipient) {
        if (!properties.enabled() || banned.contains(businessNumber)) {
            return;
        }
        Instant now = clock.instant();
        boolean cold = !contacts.hasWritten(businessNumber, recipient);
        NumberConduct number = conduct.computeIfAbsent(businessNumber, key -> new NumberConduct());
        String violation;
        synchronized (number) {
            violation = number.record(now, cold, properties);
            if (violation == null) {
                return;
            }
            if (number.warnedAt == null) {
                number.warnedAt = now;
                notify(new AccountNotice(businessNumber, AccountNotice.Kind.WARNING, violation, now));
                return;
            }
            if (now.isBefore(number.warnedAt.plus(properties.graceAfterWarning()))) {
                return;
            }
        }
        ban(businessNumber, violation);
    }

    public void ban(String businessNumber, String reason) {
        if (banned.add(businessNumber)) {
            notify(new AccountNotice(businessNumber, AccountNotice.Kind.BANNED, reason, clock.instant()));
        }
    }

    public void unban(String businessNumber) {
        conduct.remove(businessNumber);
        if (banned.remove(businessNumber)) {
            notify(new AccountNotice(businessNumber, AccountNotice.Kind.UNBANNED, "lifted", clock.instant()));
        }
    }

    public Set<String> banned() {
        return Set.copyOf(banned);
    }

    private void notify(AccountNotice notice) {
        notices.tryEmitNext(notice);
    }

    /** Recent sends of one number: timestamps in the last minute, and whether each of the last N was cold. */
    private static final class NumberConduct {
        private final Deque<Instant> lastMinute = new ArrayDeque<>();
        private final Deque<Boolean> recent = new ArrayDeque<>();
        private int coldInRecent;
        private Instant warnedAt;

        String record(Instant now, boolean cold, BanProperties properties) {
            lastMinute.addLast(now);
            Instant horizon = now.minus(Duration.ofMinutes(1));
            while (!lastMinute.isEmpty() && (lastMinute.peekFirst().isBefore(horizon)
                    || lastMinute.size() > properties.maxPerMinute() + 1)) {
                lastMinute.removeFirst();
            }
            recent.addLast(cold);
            coldInRecent += cold ? 1 : 0;
            if (recent.size() > properties.window()) {
                coldInRecent -= recent.removeFirst() ? 1 : 0;
            }
            if (lastMinute.size() > properties.maxPerMinute()) {
                return "sending faster than " + properties.maxPerMinute() + " messages a minute";
            }
            if (recent.size() >= properties.window()
                    && coldInRecent >= properties.coldRatio() * properties.window()) {
                return "most recent messages went to people who never wrote to this number";
            }
            return null;
        }
    }
}
