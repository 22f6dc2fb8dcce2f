package dev.conversa.session.linked;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import dev.conversa.session.reconnect.DisconnectReason;
import dev.conversa.session.reconnect.ReconnectDecision;
import reactor.core.publisher.Mono;

/** Records every callback, in order; can fail chosen message callbacks to test redelivery. */
final class RecordingListener implements LinkedSessionListener {

    record Qr(String ref, int attempt, Instant expiresAt) {
    }

    record PairingCode(String code, String phoneNumber, Instant expiresAt) {
    }

    record Paired(LinkedCredentials credentials, String phoneNumber, @Nullable String pushName) {
    }

    record Opened(String deviceId, String phoneNumber, @Nullable String pushName, int pending) {
    }

    record Ended(DisconnectReason reason, @Nullable String text, ReconnectDecision decision) {
    }

    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Integer> connecting = new CopyOnWriteArrayList<>();
    final List<Qr> qrs = new CopyOnWriteArrayList<>();
    final List<PairingCode> pairingCodes = new CopyOnWriteArrayList<>();
    final List<Paired> paired = new CopyOnWriteArrayList<>();
    final List<Opened> opened = new CopyOnWriteArrayList<>();
    final List<LinkedInboundMessage> messageCalls = new CopyOnWriteArrayList<>();
    final List<LinkedInboundMessage> messages = new CopyOnWriteArrayList<>();
    final List<LinkedReceipt> receipts = new CopyOnWriteArrayList<>();
    final List<String> notices = new CopyOnWriteArrayList<>();
    final List<Ended> ended = new CopyOnWriteArrayList<>();
    /** Message callbacks that match fail (once each: the predicate decides). */
    volatile Predicate<LinkedInboundMessage> failMessage = message -> false;

    @Override
    public Mono<Void> connecting(UUID sessionId, int attempt) {
        return record("connecting", () -> connecting.add(attempt));
    }

    @Override
    public Mono<Void> qr(UUID sessionId, String ref, int attempt, Instant expiresAt) {
        return record("qr", () -> qrs.add(new Qr(ref, attempt, expiresAt)));
    }

    @Override
    public Mono<Void> pairingCode(UUID sessionId, String code, String phoneNumberE164, Instant expiresAt) {
        return record("pairingCode", () -> pairingCodes.add(new PairingCode(code, phoneNumberE164, expiresAt)));
    }

    @Override
    public Mono<Void> paired(UUID sessionId, LinkedCredentials credentials, String phoneNumberE164,
            @Nullable String pushName) {
        return record("paired", () -> paired.add(new Paired(credentials, phoneNumberE164, pushName)));
    }

    @Override
    public Mono<Void> opened(UUID sessionId, String deviceId, String phoneNumberE164, @Nullable String pushName,
            int pending) {
        return record("opened", () -> opened.add(new Opened(deviceId, phoneNumberE164, pushName, pending)));
    }

    @Override
    public Mono<Void> message(UUID sessionId, LinkedInboundMessage message) {
        return Mono.defer(() -> {
            messageCalls.add(message);
            if (failMessage.test(message)) {
                return Mono.error(new IllegalStateException("storage unavailable"));
            }
            events.add("message");
            messages.add(message);
            return Mono.empty();
        });
    }

    @Override
    public Mono<Void> receipt(UUID sessionId, LinkedReceipt receipt) {
        return record("receipt", () -> receipts.add(receipt));
    }

    @Override
    public Mono<Void> notice(UUID sessionId, String kind, String reason) {
        return record("notice", () -> notices.add(kind + ": " + reason));
    }

    @Override
    public Mono<Void> ended(UUID sessionId, DisconnectReason reason, @Nullable String reasonText,
            ReconnectDecision decision) {
        return record("ended", () -> ended.add(new Ended(reason, reasonText, decision)));
    }

    Opened lastOpened() {
        return opened.getLast();
    }

    Ended lastEnded() {
        return ended.getLast();
    }

    private Mono<Void> record(String event, Runnable action) {
        return Mono.fromRunnable(() -> {
            events.add(event);
            action.run();
        });
    }
}
