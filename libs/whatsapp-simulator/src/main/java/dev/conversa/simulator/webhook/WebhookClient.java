package dev.conversa.simulator.webhook;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;

import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The simulator's HTTP client towards webhook receivers: a POST of a signed envelope, and Meta's verification GET.
 * Its own {@link WebClient} on its own connection pool, with connect and response timeouts; retries are the
 * dispatcher's.
 */
@Component
public class WebhookClient implements DisposableBean {

    private static final int ECHO_LIMIT = 256;

    private final ConnectionProvider connections;
    private final WebClient webClient;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

    public WebhookClient(WebhookProperties properties) {
        this.timeout = properties.timeout();
        this.connections = ConnectionProvider.builder("simulator-webhooks")
                .maxConnections(properties.maxConnections())
                .pendingAcquireMaxCount(-1)
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(connections)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) properties.connectTimeout().toMillis())
                .responseTimeout(properties.timeout());
        this.webClient = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http)).build();
    }

    /** POSTs a webhook body; completes on a 2xx answer, fails on anything else or after the timeout. */
    public Mono<Void> post(String url, byte[] body, String signature) {
        return webClient.post()
                .uri(URI.create(url))
                .contentType(MediaType.APPLICATION_JSON)
                .header(WebhookSignature.HEADER, signature)
                .bodyValue(body)
                .retrieve()
                .toBodilessEntity()
                .timeout(timeout)
                .then();
    }

    /** Meta's subscription check: the receiver must echo a random challenge if the verify token is its own. */
    public Mono<WebhookVerification> verify(String url, String verifyToken) {
        String challenge = Integer.toString(1_000_000_000 + random.nextInt(1_000_000_000));
        URI uri = URI.create(url + (url.contains("?") ? "&" : "?") + "hub.mode=subscribe&hub.challenge=" + challenge
                + "&hub.verify_token=" + URLEncoder.encode(verifyToken, StandardCharsets.UTF_8));
        return webClient.get()
                .uri(uri)
                .exchangeToMono(response -> response.bodyToMono(String.class)
                        .defaultIfEmpty("")
                        .map(body -> new WebhookVerification(url,
                                response.statusCode().is2xxSuccessful() && challenge.equals(body.strip()),
                                response.statusCode().value(), challenge, truncate(body), null)))
                .timeout(timeout)
                .onErrorResume(e -> Mono.just(new WebhookVerification(url, false, null, challenge, null,
                        describe(e))));
    }

    /** A short reason for a failed attempt: {@code 503 SERVICE_UNAVAILABLE}, {@code timeout}, the exception. */
    public static String describe(Throwable e) {
        if (e instanceof WebClientResponseException response) {
            return response.getStatusCode().toString();
        }
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException || cause.getClass().getSimpleName().endsWith("TimeoutException")) {
                return "timeout";
            }
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }

    private static String truncate(String body) {
        return body.length() <= ECHO_LIMIT ? body : body.substring(0, ECHO_LIMIT);
    }

    @Override
    public void destroy() {
        connections.disposeLater().block(Duration.ofSeconds(5));
    }
}
