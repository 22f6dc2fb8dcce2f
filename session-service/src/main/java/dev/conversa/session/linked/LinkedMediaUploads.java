package dev.conversa.session.linked;

import java.io.IOException;
import java.net.URI;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientException;

import dev.conversa.session.transport.MediaFile;
import dev.conversa.session.transport.MediaUploadException;
import dev.conversa.session.transport.SendResult;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The protocol's media upload ({@code POST <linked url>/media}, multipart {@code file}, the device's credentials as
 * HTTP Basic): answers the media id a {@code send} frame names. Refusals keep the server's status as their code:
 * 403 (banned), 413 (too large for its type), 415 (a type WhatsApp does not take) and 400 are final; 401 (the
 * credentials were refused; the socket's login will tell the session), 429, 5xx and no usable answer may pass on a
 * later attempt.
 */
final class LinkedMediaUploads {

    private static final int TITLE_MAX = 160;

    private final WebClient http;
    private final URI uploadUrl;
    private final JsonMapper json = JsonMapper.builder().build();

    LinkedMediaUploads(HttpClient client, LinkedProperties properties) {
        this.http = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(client.responseTimeout(properties.ackTimeout())))
                .build();
        this.uploadUrl = properties.mediaUrl();
    }

    Mono<String> upload(LinkedCredentials credentials, MediaFile file) {
        MultipartBodyBuilder parts = new MultipartBodyBuilder();
        parts.asyncPart("file", file.content(), DataBuffer.class)
                .filename(file.filename() != null ? file.filename() : "file")
                .contentType(MediaType.parseMediaType(file.mimeType()));
        if (file.filename() != null) {
            parts.part("filename", file.filename());
        }
        return http.post()
                .uri(uploadUrl)
                .headers(headers -> headers.setBasicAuth(credentials.deviceId(), credentials.secret()))
                .contentType(MediaType.MULTIPART_FORM_DATA)
                .accept(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON)
                .body(BodyInserters.fromMultipartData(parts.build()))
                .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                        .map(text -> mediaId(response, text)))
                .onErrorMap(error -> error instanceof WebClientException || error instanceof IOException,
                        error -> new MediaUploadException(new SendResult.Rejected(504,
                                "no usable answer to the media upload", true), error));
    }

    private String mediaId(ClientResponse response, String text) {
        int status = response.statusCode().value();
        JsonNode answer = parse(text);
        if (response.statusCode().is2xxSuccessful()) {
            JsonNode id = answer == null ? null : answer.path("id");
            if (id == null || !id.isString() || id.stringValue().isBlank()) {
                throw new MediaUploadException(new SendResult.Rejected(504,
                        "media upload answered " + status + " without an id", true), null);
            }
            return id.stringValue();
        }
        String detail = answer != null && answer.path("detail").isString() ? answer.path("detail").stringValue()
                : response.statusCode().toString();
        String title = "media upload refused: " + detail;
        boolean retryable = status == 401 || status == 429 || status >= 500;
        throw new MediaUploadException(new SendResult.Rejected(status,
                title.length() > TITLE_MAX ? title.substring(0, TITLE_MAX) : title, retryable), null);
    }

    private @Nullable JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        }
        catch (RuntimeException e) {
            return null;
        }
    }
}
