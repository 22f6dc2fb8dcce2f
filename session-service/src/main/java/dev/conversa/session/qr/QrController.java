package dev.conversa.session.qr;

import java.util.UUID;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import dev.conversa.security.ConversaPrincipal;
import dev.conversa.web.problem.ApiException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The QR a session shows right now, for an operator to scan with the phone. 404 when there is none: the session
 * was never asked to pair, its last ref expired, it is already paired, or it belongs to another tenant.
 */
@RestController
class QrController {

    private final QrCodes codes;
    private final QrImages images;

    QrController(QrCodes codes, QrImages images) {
        this.codes = codes;
        this.images = images;
    }

    @GetMapping("/api/v1/sessions/{id}/qr")
    @PreAuthorize("hasAnyRole('ADMIN', 'SUPERVISOR')")
    Mono<QrCodeResponse> current(@PathVariable UUID id, ConversaPrincipal caller) {
        return codes.current(id, caller.tenantId())
                // a few milliseconds of CPU per image: not on the event loop
                .publishOn(Schedulers.parallel())
                .map(qr -> new QrCodeResponse(qr.sessionId(), qr.ref(), qr.attempt(), qr.expiresAt(),
                        images.pngDataUrl(qr.ref())))
                .switchIfEmpty(Mono.error(() -> ApiException.notFound("QR code of session", id)));
    }
}
