package dev.conversa.simulator.media;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;

/**
 * {@code POST /sim/media}: a file a simulated phone is about to send (multipart {@code file}, optional {@code type}
 * for the MIME type and {@code filename}). No WhatsApp type or size rules apply, only the store's bound; a phone may
 * send what a business could not upload.
 */
@RestController
class MediaControlController {

    private final MediaStore store;

    MediaControlController(MediaStore store) {
        this.store = store;
    }

    @PostMapping(path = "/sim/media", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    @ResponseStatus(HttpStatus.CREATED)
    Mono<MediaView> upload(ServerWebExchange exchange) {
        return MultipartUpload.read(exchange, MediaLimits.LARGEST.toBytes()).map(upload -> {
            String mimeType = upload.mimeType() != null ? upload.mimeType()
                    : MediaType.APPLICATION_OCTET_STREAM_VALUE;
            String filename = upload.field("filename") != null ? upload.field("filename") : upload.filename();
            return MediaView.of(store.put(upload.bytes(), mimeType, filename));
        });
    }

    @GetMapping("/sim/media")
    MediaStore.Usage usage() {
        return store.usage();
    }
}
