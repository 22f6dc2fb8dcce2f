package dev.conversa.simulator.linked;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import dev.conversa.simulator.ban.BanModel;
import dev.conversa.simulator.media.MediaLimits;
import dev.conversa.simulator.media.MediaRejectedException;
import dev.conversa.simulator.media.MediaStore;
import dev.conversa.simulator.media.MediaView;
import dev.conversa.simulator.media.MultipartUpload;
import reactor.core.publisher.Mono;

/**
 * {@code POST /linked/v1/media}: a paired device uploads a file it is about to send (multipart {@code file} with its
 * content type, optional {@code filename}) and gets the media id its {@code send} frame names. The device
 * authenticates with its credentials as HTTP Basic ({@code deviceId:secret}); WhatsApp's type and size rules apply
 * as for a Cloud API upload.
 */
@RestController
class LinkedMediaUploadController {

    static final String PATH = "/linked/v1/media";

    private final LinkedDeviceRegistry registry;
    private final BanModel bans;
    private final MediaStore store;

    LinkedMediaUploadController(LinkedDeviceRegistry registry, BanModel bans, MediaStore store) {
        this.registry = registry;
        this.bans = bans;
        this.store = store;
    }

    @PostMapping(path = PATH, consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    Mono<MediaView> upload(ServerWebExchange exchange) {
        LinkedDevice device = registry.authenticate(credentials(exchange.getRequest().getHeaders()
                .getFirst(HttpHeaders.AUTHORIZATION)));
        if (device == null) {
            return Mono.error(new DeviceRefused(HttpStatus.UNAUTHORIZED, "logged out"));
        }
        if (bans.isBanned(device.number())) {
            return Mono.error(new DeviceRefused(HttpStatus.FORBIDDEN, "banned"));
        }
        return MultipartUpload.read(exchange, MediaLimits.LARGEST.toBytes()).map(upload -> {
            String mimeType = MediaLimits.bare(upload.mimeType());
            MediaLimits.check(mimeType, upload.bytes().length);
            String filename = upload.field("filename") != null ? upload.field("filename") : upload.filename();
            return MediaView.of(store.put(upload.bytes(), mimeType, filename));
        });
    }

    @ExceptionHandler(MediaRejectedException.class)
    ProblemDetail rejected(MediaRejectedException e) {
        HttpStatus status = switch (e.reason()) {
            case TOO_LARGE -> HttpStatus.CONTENT_TOO_LARGE;
            case UNSUPPORTED_TYPE -> HttpStatus.UNSUPPORTED_MEDIA_TYPE;
            case MISSING_FILE -> HttpStatus.BAD_REQUEST;
        };
        return ProblemDetail.forStatusAndDetail(status, e.getMessage());
    }

    @ExceptionHandler(DeviceRefused.class)
    ProblemDetail refused(DeviceRefused e) {
        return ProblemDetail.forStatusAndDetail(e.status, e.getMessage());
    }

    /** {@code Basic base64(deviceId:secret)}; anything else is no credentials. */
    private static Credentials credentials(@Nullable String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return new Credentials(null, null);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return new Credentials(null, null);
        }
        int colon = decoded.indexOf(':');
        return colon < 0 ? new Credentials(null, null)
                : new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
    }

    private static final class DeviceRefused extends RuntimeException {

        private final HttpStatus status;

        DeviceRefused(HttpStatus status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }
}
