package dev.conversa.session.cloudwebhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.events.message.MessageStatusChanged;
import dev.conversa.session.inbound.InboundMessagePublisher;
import dev.conversa.session.media.InboundMedia;
import dev.conversa.session.outbound.DeliveryReport;
import dev.conversa.session.outbound.DeliveryReports;
import dev.conversa.session.sessions.SessionActivity;
import dev.conversa.web.problem.ApiException;
import dev.conversa.web.problem.ProblemTypes;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Meta's Cloud API webhook for one phone-number id. {@code GET} answers the subscription handshake; {@code POST}
 * checks the HMAC of the raw body before reading anything in it, publishes every message and status it carries, and
 * answers 200 only once the broker has them all, so a failed publish is covered by Meta's retry (event ids are
 * derived from business keys, so a retried or duplicated webhook republishes the same {@code ce_id}s).
 */
@RestController
@RequestMapping("/webhooks/whatsapp/{phoneNumberId}")
class CloudWebhookController {

    private static final Logger log = LoggerFactory.getLogger(CloudWebhookController.class);

    private final CloudWebhookSessions sessions;
    private final InboundMessagePublisher inbound;
    private final InboundMedia media;
    private final DeliveryReports reports;
    private final SessionActivity activity;
    private final CloudWebhookParser parser = new CloudWebhookParser();
    private final int maxBodyBytes;

    CloudWebhookController(CloudWebhookSessions sessions, InboundMessagePublisher inbound, InboundMedia media,
            DeliveryReports reports, SessionActivity activity, CloudWebhookProperties properties) {
        this.sessions = sessions;
        this.inbound = inbound;
        this.media = media;
        this.reports = reports;
        this.activity = activity;
        this.maxBodyBytes = (int) properties.maxBodySize().toBytes();
    }

    @GetMapping(produces = MediaType.TEXT_PLAIN_VALUE)
    Mono<String> verify(@PathVariable String phoneNumberId,
            @RequestParam(name = "hub.mode", required = false) @Nullable String mode,
            @RequestParam(name = "hub.challenge", required = false) @Nullable String challenge,
            @RequestParam(name = "hub.verify_token", required = false) @Nullable String verifyToken) {
        return session(phoneNumberId).map(session -> {
            if (!"subscribe".equals(mode) || challenge == null || verifyToken == null
                    || !constantTimeEquals(session.credentials().verifyToken(), verifyToken)) {
                log.warn("Webhook verification refused for session {}", session.id());
                throw new ApiException(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, "Forbidden",
                        "The verify token does not match");
            }
            log.info("Webhook verified for session {}", session.id());
            return challenge;
        });
    }

    @PostMapping
    Mono<ResponseEntity<Void>> receive(@PathVariable String phoneNumberId,
            @RequestHeader(name = WebhookSignature.HEADER, required = false) @Nullable String signature,
            ServerHttpRequest request) {
        if (signature == null) {
            return Mono.error(unauthorized());
        }
        long declaredLength = request.getHeaders().getContentLength();
        if (declaredLength > maxBodyBytes) {
            return Mono.error(tooLarge());
        }
        return session(phoneNumberId).flatMap(session -> body(request).flatMap(body -> {
            if (!WebhookSignature.isValid(session.credentials().appSecret(), body, signature)) {
                log.warn("Webhook with a bad signature refused for session {}", session.id());
                return Mono.error(unauthorized());
            }
            CloudWebhookPayload payload;
            try {
                payload = parser.parse(body, session, Instant.now());
            } catch (IllegalArgumentException malformed) {
                return Mono.error(ApiException.badRequest(malformed.getMessage()));
            }
            log.info("Webhook for session {}: {} message(s), {} status(es)", session.id(),
                    payload.messages().size(), payload.statuses().size());
            return Flux.fromIterable(payload.messages())
                    // a file is downloaded and stored first (or marked unavailable): the event carries our media id
                    .concatMap(message -> media.fromCloudApi(message, session.credentials().accessToken())
                            .flatMap(inbound::publish)
                            .then(activity.received(session.id())))
                    .thenMany(Flux.fromIterable(payload.statuses()).concatMap(this::report))
                    .then(Mono.just(ResponseEntity.ok().<Void>build()));
        }));
    }

    /** The send's reference travels in {@code biz_opaque_callback_data}, which the parser put in correlationId. */
    private Mono<Void> report(MessageStatusChanged status) {
        String waMessageId = status.waMessageId();
        if (waMessageId == null) {
            return Mono.empty();
        }
        return reports.report(new DeliveryReport(status.sessionId(), status.tenantId(), status.correlationId(),
                waMessageId, status.recipient(), status.status(), status.occurredAt(), status.errorCode(),
                status.errorTitle()));
    }

    private Mono<WebhookSession> session(String phoneNumberId) {
        return sessions.byPhoneNumberId(phoneNumberId)
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("Cloud API phone number", phoneNumberId)));
    }

    private Mono<byte[]> body(ServerHttpRequest request) {
        return DataBufferUtils.join(request.getBody(), maxBodyBytes)
                .map(buffer -> {
                    try {
                        byte[] bytes = new byte[buffer.readableByteCount()];
                        buffer.read(bytes);
                        return bytes;
                    } finally {
                        DataBufferUtils.release(buffer);
                    }
                })
                .defaultIfEmpty(new byte[0])
                .onErrorMap(DataBufferLimitException.class, tooBig -> tooLarge());
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                given.getBytes(StandardCharsets.UTF_8));
    }

    private static ApiException unauthorized() {
        return new ApiException(HttpStatus.UNAUTHORIZED, ProblemTypes.UNAUTHORIZED, "Unauthorized",
                "Missing or invalid " + WebhookSignature.HEADER);
    }

    private ApiException tooLarge() {
        return new ApiException(HttpStatus.CONTENT_TOO_LARGE, ProblemTypes.PAYLOAD_TOO_LARGE, "Content Too Large",
                "Webhook bodies are limited to " + maxBodyBytes + " bytes");
    }
}
