package dev.conversa.session.runtime;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import dev.conversa.events.session.SessionStatus;
import dev.conversa.session.authstate.AuthStateStore;
import dev.conversa.session.inbound.InboundMessagePublisher;
import dev.conversa.session.media.InboundMedia;
import dev.conversa.session.linked.LinkedCredentials;
import dev.conversa.session.linked.LinkedInboundMessage;
import dev.conversa.session.linked.LinkedReceipt;
import dev.conversa.session.linked.LinkedSessionListener;
import dev.conversa.session.outbound.DeliveryReport;
import dev.conversa.session.outbound.DeliveryReports;
import dev.conversa.session.qr.PairingCodes;
import dev.conversa.session.qr.QrCodes;
import dev.conversa.session.reconnect.DisconnectReason;
import dev.conversa.session.reconnect.ReconnectDecision;
import dev.conversa.session.sessions.Session;
import dev.conversa.session.sessions.SessionActivity;
import dev.conversa.session.sessions.SessionLifecycle;
import dev.conversa.session.sessions.SessionRepository;
import dev.conversa.web.logging.Pii;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a linked device lives through, turned into Conversa's state and events:
 *
 * <table>
 * <caption>callbacks</caption>
 * <tr><th>device</th><th>Conversa</th></tr>
 * <tr><td>connecting</td><td>status {@code connecting}</td></tr>
 * <tr><td>qr</td><td>the ref in Redis, {@code qr-updated}, status {@code qr_ready}</td></tr>
 * <tr><td>pairing code</td><td>the code in Redis, {@code pairing-code}</td></tr>
 * <tr><td>paired</td><td>credentials encrypted in the auth state <em>before</em> anything else, the number, QR
 * cleared</td></tr>
 * <tr><td>open</td><td>status {@code connected}, device facts; sending starts; earlier sends reconciled</td></tr>
 * <tr><td>message</td><td>{@code conversa.message.received.v1} (acknowledged to the device only after Kafka has
 * it)</td></tr>
 * <tr><td>receipt</td><td>the send's status events</td></tr>
 * <tr><td>ended</td><td>reconnect: {@code disconnected}; stop: {@code logged_out} / {@code banned} /
 * {@code failed} (auth state wiped when the policy says so); QR refs ran out: {@code pending}</td></tr>
 * </table>
 */
@Component
class LinkedSessionEvents implements LinkedSessionListener {

    private static final Logger log = LoggerFactory.getLogger(LinkedSessionEvents.class);

    private final SessionRepository sessions;
    private final SessionLifecycle lifecycle;
    private final AuthStateStore authState;
    private final QrCodes qrCodes;
    private final PairingCodes pairingCodes;
    private final SessionSignals signals;
    private final InboundMessagePublisher inbound;
    private final InboundMedia media;
    private final DeliveryReports deliveryReports;
    private final SessionActivity activity;
    private final JsonMapper json;
    private volatile @Nullable SessionRuntime runtime;

    LinkedSessionEvents(SessionRepository sessions, SessionLifecycle lifecycle, AuthStateStore authState,
            QrCodes qrCodes, PairingCodes pairingCodes, SessionSignals signals, InboundMessagePublisher inbound,
            InboundMedia media, DeliveryReports deliveryReports, SessionActivity activity, JsonMapper json) {
        this.sessions = sessions;
        this.lifecycle = lifecycle;
        this.authState = authState;
        this.qrCodes = qrCodes;
        this.pairingCodes = pairingCodes;
        this.signals = signals;
        this.inbound = inbound;
        this.media = media;
        this.deliveryReports = deliveryReports;
        this.activity = activity;
        this.json = json;
    }

    /** The runtime registers itself (it owns the sessions these callbacks are about). */
    void attach(SessionRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public Mono<Void> connecting(UUID sessionId, int attempt) {
        return runtime().move(sessionId, SessionStatus.CONNECTING, null, null);
    }

    @Override
    public Mono<Void> qr(UUID sessionId, String ref, int attempt, Instant expiresAt) {
        return tenantOf(sessionId).flatMap(tenantId -> qrCodes.store(sessionId, tenantId, ref, attempt, expiresAt)
                .then(signals.qrUpdated(tenantId, sessionId, ref, attempt, expiresAt))
                .then(runtime().move(sessionId, SessionStatus.QR_READY, null, null)));
    }

    @Override
    public Mono<Void> pairingCode(UUID sessionId, String code, String phoneNumberE164, Instant expiresAt) {
        return tenantOf(sessionId).flatMap(tenantId -> pairingCodes.store(sessionId,
                        new PairingCodes.PairingCode(tenantId, phoneNumberE164, code, Instant.now(), expiresAt))
                .then(signals.pairingCode(tenantId, sessionId, phoneNumberE164, code, expiresAt)));
    }

    @Override
    public Mono<Void> paired(UUID sessionId, LinkedCredentials credentials, String phoneNumberE164,
            @Nullable String pushName) {
        log.info("Session {} paired with {}", sessionId, Pii.phone(phoneNumberE164));
        return tenantOf(sessionId).flatMap(tenantId -> Mono.fromCallable(() -> json.writeValueAsString(credentials)
                        .getBytes(StandardCharsets.UTF_8))
                .flatMap(plaintext -> authState.save(sessionId, tenantId, plaintext))
                .then(lifecycle.recordDevice(sessionId, phoneNumberE164, device(null, pushName)))
                .then(qrCodes.clear(sessionId))
                .then(pairingCodes.clear(sessionId)));
    }

    @Override
    public Mono<Void> opened(UUID sessionId, String deviceId, String phoneNumberE164, @Nullable String pushName,
            int pending) {
        return runtime().move(sessionId, SessionStatus.CONNECTED, null, null)
                .then(lifecycle.recordDevice(sessionId, phoneNumberE164, device(deviceId, pushName)))
                .then(Mono.fromRunnable(() -> runtime().opened(sessionId)));
    }

    @Override
    public Mono<Void> message(UUID sessionId, LinkedInboundMessage message) {
        return tenantOf(sessionId)
                // a file is downloaded and stored first (or marked unavailable): the event carries our media id
                .flatMap(tenantId -> media.fromLinkedDevice(message.toEvent(tenantId, sessionId, Instant.now())))
                .flatMap(inbound::publish)
                .then(activity.received(sessionId));
    }

    @Override
    public Mono<Void> receipt(UUID sessionId, LinkedReceipt receipt) {
        return tenantOf(sessionId).flatMap(tenantId -> deliveryReports.report(new DeliveryReport(sessionId,
                tenantId, receipt.clientRef(), receipt.waMessageId(), null, receipt.status(), receipt.timestamp(),
                receipt.errorCode(), receipt.errorTitle())));
    }

    @Override
    public Mono<Void> notice(UUID sessionId, String kind, String reason) {
        log.warn("WhatsApp notice for session {}: {} — {}", sessionId, kind, reason);
        return Mono.empty();
    }

    @Override
    public Mono<Void> ended(UUID sessionId, DisconnectReason reason, @Nullable String reasonText,
            ReconnectDecision decision) {
        int code = reason.code();
        SessionRuntime runtime = runtime();
        return switch (decision) {
            case ReconnectDecision.ReconnectNow now -> runtime.move(sessionId, SessionStatus.DISCONNECTED, code,
                    reasonText);
            case ReconnectDecision.ReconnectAfter after -> runtime.move(sessionId, SessionStatus.DISCONNECTED, code,
                    reasonText);
            case ReconnectDecision.WaitForNewQr wait -> qrCodes.clear(sessionId)
                    .then(runtime.move(sessionId, SessionStatus.PENDING, code, reasonText))
                    .then(runtime.stopped(sessionId));
            case ReconnectDecision.Stop stop -> {
                log.warn("Session {} stopped: {} {} → {}{}", sessionId, code, reasonText, stop.status().wireValue(),
                        stop.wipeAuthState() ? " (auth state wiped)" : "");
                Mono<Void> wipe = stop.wipeAuthState() ? authState.wipe(sessionId).then() : Mono.empty();
                yield wipe.then(runtime.move(sessionId, SessionStatus.fromValue(stop.status().wireValue()), code,
                                reasonText))
                        .then(qrCodes.clear(sessionId))
                        .then(runtime.stopped(sessionId));
            }
        };
    }

    private Mono<String> tenantOf(UUID sessionId) {
        LiveSession session = runtime().liveSession(sessionId);
        return session != null ? Mono.just(session.tenantId())
                : sessions.findById(sessionId).map(Session::tenantId);
    }

    private SessionRuntime runtime() {
        SessionRuntime attached = runtime;
        if (attached == null) {
            throw new IllegalStateException("no session runtime attached");
        }
        return attached;
    }

    private static Map<String, Object> device(@Nullable String deviceId, @Nullable String pushName) {
        Map<String, Object> device = new LinkedHashMap<>();
        if (deviceId != null) {
            device.put("deviceId", deviceId);
        }
        if (pushName != null) {
            device.put("pushName", pushName);
        }
        return device;
    }
}
