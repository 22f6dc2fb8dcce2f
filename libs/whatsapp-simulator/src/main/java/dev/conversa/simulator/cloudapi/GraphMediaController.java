package dev.conversa.simulator.cloudapi;

import java.net.URI;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ServerWebExchange;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.conversa.simulator.media.MediaLimits;
import dev.conversa.simulator.media.MediaResponses;
import dev.conversa.simulator.media.MediaStore;
import dev.conversa.simulator.media.MultipartUpload;
import dev.conversa.simulator.media.SignedMediaUrls;
import dev.conversa.simulator.media.StoredMedia;
import reactor.core.publisher.Mono;

/**
 * The Cloud API's media endpoints (reference §2): upload ({@code POST /{version}/{phone-number-id}/media}), the
 * download URL ({@code GET /{version}/{media-id}}, valid 5 minutes), deletion, and the download itself
 * ({@code GET /media-download/{id}?expires&sig}, bearer required, 404 once expired). {@code GET /{version}/{id}} of a
 * registered phone number id answers the number's profile instead.
 */
@RestController
class GraphMediaController {

    private final GraphAccess access;
    private final MediaStore store;
    private final SignedMediaUrls urls;
    private final CloudNumbers numbers;

    GraphMediaController(GraphAccess access, MediaStore store, SignedMediaUrls urls, CloudNumbers numbers) {
        this.access = access;
        this.store = store;
        this.urls = urls;
        this.numbers = numbers;
    }

    record MediaUrl(@JsonProperty("messaging_product") String messagingProduct, String url,
            @JsonProperty("mime_type") String mimeType, String sha256, @JsonProperty("file_size") long fileSize,
            String id) {
    }

    record PhoneNumberProfile(@JsonProperty("verified_name") String verifiedName,
            @JsonProperty("display_phone_number") String displayPhoneNumber, String id,
            @JsonProperty("quality_rating") String qualityRating, @JsonProperty("platform_type") String platformType,
            Map<String, String> throughput) {
    }

    @PostMapping("/{version:v\\d+\\.\\d+}/{phoneNumberId}/media")
    Mono<Map<String, String>> upload(@PathVariable String phoneNumberId, ServerWebExchange exchange) {
        access.number(phoneNumberId, exchange.getRequest(), "post");
        return MultipartUpload.read(exchange, MediaLimits.LARGEST.toBytes()).map(upload -> {
            String product = upload.field("messaging_product");
            if (!"whatsapp".equals(product)) {
                throw product == null ? GraphErrors.invalidParameter("The parameter messaging_product is required.")
                        : GraphErrors.invalidParameter("Param messaging_product must be one of {WHATSAPP} - got \""
                                + product + "\".");
            }
            String declared = upload.field("type");
            String mimeType = upload.contentType() != null ? upload.contentType() : declared;
            if (upload.contentType() != null && declared != null
                    && !MediaLimits.bare(declared).equals(MediaLimits.bare(upload.contentType()))) {
                throw GraphErrors.mediaUpload(HttpStatus.BAD_REQUEST, "The type parameter " + declared
                        + " does not match the file's content type " + upload.contentType() + ".");
            }
            if (mimeType == null) {
                throw GraphErrors.invalidParameter("The parameter type is required.");
            }
            MediaLimits.check(mimeType, upload.bytes().length);
            StoredMedia stored = store.put(upload.bytes(), MediaLimits.bare(mimeType), upload.filename());
            return Map.of("id", stored.id());
        });
    }

    @GetMapping("/{version:v\\d+\\.\\d+}/{objectId}")
    Object get(@PathVariable String objectId,
            @RequestParam(name = "phone_number_id", required = false) @Nullable String phoneNumberId,
            ServerHttpRequest request) {
        authorize(phoneNumberId, request, "get");
        StoredMedia media = store.find(objectId).orElse(null);
        if (media != null) {
            URI base = request.getURI();
            return new MediaUrl("whatsapp", urls.downloadUrl(media.id(), base), media.mimeType(), media.sha256(),
                    media.size(), media.id());
        }
        RegisteredNumber number = numbers.registered(objectId).orElse(null);
        if (number != null && number.acceptsToken(GraphAccess.token(request))) {
            CloudNumber profile = number.number();
            return new PhoneNumberProfile(profile.displayName(), "+" + profile.phoneNumber(),
                    profile.phoneNumberId(), "GREEN", "CLOUD_API", Map.of("level", "STANDARD"));
        }
        throw GraphErrors.unknownObject("get", objectId);
    }

    @DeleteMapping("/{version:v\\d+\\.\\d+}/{mediaId}")
    Map<String, Boolean> delete(@PathVariable String mediaId,
            @RequestParam(name = "phone_number_id", required = false) @Nullable String phoneNumberId,
            ServerHttpRequest request) {
        authorize(phoneNumberId, request, "delete");
        if (!store.delete(mediaId)) {
            throw GraphErrors.unknownObject("delete", mediaId);
        }
        return Map.of("success", true);
    }

    @GetMapping(SignedMediaUrls.PATH + "{mediaId}")
    ResponseEntity<?> download(@PathVariable String mediaId,
            @RequestParam(required = false) @Nullable String expires,
            @RequestParam(required = false) @Nullable String sig, ServerHttpRequest request) {
        access.anyNumber(request);
        StoredMedia media = urls.isValid(mediaId, expires, sig) ? store.find(mediaId).orElse(null) : null;
        if (media == null) {
            return ResponseEntity.of(ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND,
                    "No such media URL, or it expired: fetch a fresh one from GET /{version}/{media-id}")).build();
        }
        return MediaResponses.file(media);
    }

    private void authorize(@Nullable String phoneNumberId, ServerHttpRequest request, String method) {
        if (phoneNumberId != null) {
            access.number(phoneNumberId, request, method);
        }
        else {
            access.anyNumber(request);
        }
    }
}
