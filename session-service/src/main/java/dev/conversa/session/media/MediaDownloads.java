package dev.conversa.session.media;

import java.net.URI;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import dev.conversa.session.cloudapi.CloudApiProperties;
import dev.conversa.session.linked.LinkedProperties;
import reactor.core.publisher.Flux;

/**
 * Where the bytes of an inbound file come from, per transport (reference §2 for the Cloud API):
 * <ul>
 * <li>Cloud API: {@code GET /{version}/{media-id}} with the session's bearer token answers a URL valid 5 minutes,
 * then {@code GET <url>} with the same bearer answers the bytes;</li>
 * <li>linked device: the protocol's media endpoint beside its WebSocket, {@code GET <linked url>/media/{id}} over
 * http(s) (the unguessable id is the credential).</li>
 * </ul>
 * Each call has the connector's response timeout; the caller bounds the whole attempt and retries it.
 */
class MediaDownloads {

    private final WebClient http;
    private final CloudApiProperties cloudApi;
    private final URI linkedMedia;

    MediaDownloads(WebClient http, CloudApiProperties cloudApi, LinkedProperties linked) {
        this.http = http;
        this.cloudApi = cloudApi;
        this.linkedMedia = linked.mediaUrl();
    }

    Flux<DataBuffer> cloudApi(String mediaId, String accessToken) {
        URI lookup = UriComponentsBuilder.fromUri(cloudApi.baseUrl())
                .pathSegment(cloudApi.version(), mediaId).build().encode().toUri();
        return http.get().uri(lookup)
                .headers(headers -> headers.setBearerAuth(accessToken))
                .accept(MediaType.APPLICATION_JSON)
                .retrieve()
                .bodyToMono(MediaUrl.class)
                .flatMapMany(found -> http.get().uri(URI.create(found.url()))
                        .headers(headers -> headers.setBearerAuth(accessToken))
                        .header(HttpHeaders.ACCEPT, MediaType.ALL_VALUE)
                        .retrieve()
                        .bodyToFlux(DataBuffer.class));
    }

    Flux<DataBuffer> linked(String mediaId) {
        URI file = UriComponentsBuilder.fromUri(linkedMedia).pathSegment(mediaId).build().encode().toUri();
        return http.get().uri(file).retrieve().bodyToFlux(DataBuffer.class);
    }

    /** The Cloud API's answer to {@code GET /{media-id}}; only the URL is needed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record MediaUrl(@JsonProperty("url") String url) {
    }
}
