package dev.conversa.notification.webhooks;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * POSTs one signed CloudEvent to a subscriber: connect and response timeouts, no redirects followed, the response
 * body discarded; the address connected to is checked by {@link PublicTargetResolverGroup}. Never fails: every
 * outcome, network errors included, is an {@link Attempt}.
 */
final class WebhookClient {

    /** The outcome of one POST: the receiver's status (null after a network error) and its Retry-After. */
    record Attempt(@Nullable Integer status, @Nullable String retryAfter, @Nullable String error, boolean refused) {
    }

    private final WebClient web;
    private final TargetGuard guard;

    WebhookClient(WebClient.Builder builder, WebhookProperties properties, TargetGuard guard) {
        this.guard = guard;
        HttpClient http = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
                .responseTimeout(properties.responseTimeout())
                .followRedirect(false);
        if (!guard.allowsPrivate()) {
            http = http.resolver(new PublicTargetResolverGroup(guard));
        }
        this.web = builder.clone().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    Mono<Attempt> post(String url, String eventId, String secret, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long timestamp = Instant.now().getEpochSecond();
        URI target = URI.create(url);
        return guard.check(target)
                .then(web.post().uri(target)
                        .contentType(new MediaType("application", "cloudevents+json", StandardCharsets.UTF_8))
                        .header(HttpHeaders.USER_AGENT, "Conversa-Webhooks/1")
                        .header(WebhookSignature.EVENT_ID_HEADER, eventId)
                        .header(WebhookSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                        .header(WebhookSignature.SIGNATURE_HEADER, WebhookSignature.sign(secret, timestamp, bytes))
                        .bodyValue(bytes)
                        .exchangeToMono(response -> response.releaseBody().thenReturn(new Attempt(
                                response.statusCode().value(),
                                response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER),
                                null, false))))
                .onErrorResume(error -> Mono.just(failure(error)));
    }

    /** A network error, or a refused target (also when the client's resolver refused it, wrapped). */
    private static Attempt failure(Throwable error) {
        Throwable cause = error;
        while (true) {
            if (cause instanceof TargetGuard.RefusedTargetException) {
                return new Attempt(null, null, "refused: " + cause.getMessage(), true);
            }
            if (cause.getCause() == null || cause.getCause() == cause) {
                break;
            }
            cause = cause.getCause();
        }
        String message = cause.getMessage();
        return new Attempt(null, null, cause.getClass().getSimpleName() + (message == null ? "" : ": " + message),
                false);
    }
}
