package dev.conversa.session.cloudapi;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.MediaType;
import org.springframework.http.client.MultipartBodyBuilder;
import org.springframework.web.reactive.function.BodyInserters;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientException;

import dev.conversa.events.session.SessionTransport;
import dev.conversa.session.transport.ConnectionNotOpenException;
import dev.conversa.session.transport.LiveConnection;
import dev.conversa.session.transport.MediaFile;
import dev.conversa.session.transport.MediaUploadException;
import dev.conversa.session.transport.OutboundSend;
import dev.conversa.session.transport.SendResult;
import dev.conversa.web.logging.Pii;
import io.netty.channel.ChannelException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Cloud API phone number of one session: sends go to {@code POST {base}/{version}/{phone-number-id}/messages}
 * with the session's bearer token, over the connector's shared pool. There is no socket to hold, so "open" only
 * means "not closed": {@link #close()} makes later sends and pings fail with {@link ConnectionNotOpenException}.
 *
 * <p>Outcomes of {@link #send}:
 * <ul>
 * <li>{@code 200} with {@code messages[0].id} → {@link SendResult.Accepted} (Meta took it; delivery follows by
 * webhook, whose statuses carry {@code biz_opaque_callback_data} = the send's {@code clientRef});</li>
 * <li>a Graph error answer → {@link SendResult.Rejected} with Meta's code, a title without personal data and
 * {@link GraphErrors#isRetryable retryable}; code 190 (also 10, 200) means the credentials are bad
 * ({@link GraphErrors#meansBadCredentials(SendResult)});</li>
 * <li>a send the adapter cannot express (media without a public URL, a missing field, an unsupported type) →
 * {@code Rejected(400, …, false)} without calling Meta;</li>
 * <li>no usable answer (connect failure, timeout, broken connection, {@code 200} without an id) → the Mono errors
 * with {@link UnknownOutcomeException}, a {@link TimeoutException}: Meta may have taken the message. The adapter
 * never retries a POST, since a retry could send twice.</li>
 * </ul>
 * Logs name the session and a masked recipient, never the token or the text.
 */
public class CloudApiConnection implements LiveConnection {

    private static final Logger log = LoggerFactory.getLogger(CloudApiConnection.class);
    /** How many mark-as-read requests of one {@link #markRead} call are in flight at once. */
    static final int MARK_READ_CONCURRENCY = 4;

    private final UUID sessionId;
    private final String phoneNumberId;
    private final String accessToken;
    private final URI messagesUri;
    private final URI mediaUri;
    private final URI profileUri;
    private final WebClient client;
    private final JsonMapper json;
    private final Duration deadline;
    private final Clock clock;
    private final AtomicBoolean closed = new AtomicBoolean();

    CloudApiConnection(UUID sessionId, String phoneNumberId, String accessToken, URI messagesUri, URI mediaUri,
            URI profileUri, WebClient client, JsonMapper json, Duration deadline, Clock clock) {
        this.sessionId = sessionId;
        this.phoneNumberId = phoneNumberId;
        this.accessToken = accessToken;
        this.messagesUri = messagesUri;
        this.mediaUri = mediaUri;
        this.profileUri = profileUri;
        this.client = client;
        this.json = json;
        this.deadline = deadline;
        this.clock = clock;
    }

    @Override
    public UUID sessionId() {
        return sessionId;
    }

    @Override
    public SessionTransport transport() {
        return SessionTransport.CLOUD_API;
    }

    /** Meta's id of the phone number this connection sends from. */
    public String phoneNumberId() {
        return phoneNumberId;
    }

    @Override
    public Mono<SendResult> send(OutboundSend send) {
        Objects.requireNonNull(send, "send");
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(new ConnectionNotOpenException(sessionId));
            }
            byte[] body;
            try {
                body = json.writeValueAsBytes(CloudApiRequests.body(send));
            }
            catch (CloudApiRequests.InvalidSendException e) {
                log.info("Cloud API send {} of session {} to {} refused before sending: {}", send.clientRef(),
                        sessionId, Pii.phone(send.to()), e.getMessage());
                return Mono.just(new SendResult.Rejected(GraphErrors.INVALID_REQUEST, e.getMessage(), false));
            }
            return client.post()
                    .uri(messagesUri)
                    .headers(headers -> headers.setBearerAuth(accessToken))
                    .contentType(MediaType.APPLICATION_JSON)
                    .accept(MediaType.APPLICATION_JSON)
                    .bodyValue(body)
                    .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                            .map(text -> sendResult(response, text)))
                    .timeout(deadline, Mono.error(() -> new UnknownOutcomeException(
                            "No answer from the Graph API within " + deadline, null)))
                    .onErrorMap(CloudApiConnection::isNetworkFailure,
                            e -> new UnknownOutcomeException("No usable answer from the Graph API: " + e, e))
                    .doOnNext(result -> logResult(send, result))
                    .doOnError(UnknownOutcomeException.class, e -> log.warn(
                            "Cloud API send {} of session {} to {} has an unknown outcome: {}", send.clientRef(),
                            sessionId, Pii.phone(send.to()), e.getMessage()));
        });
    }

    /**
     * Uploads the file with {@code POST …/{phone-number-id}/media} (multipart: {@code messaging_product=whatsapp},
     * {@code type} and the {@code file} part streamed from storage) and completes with Meta's media id, which sends
     * name as {@code {"id": …}}. A Graph error answer fails with {@link MediaUploadException} carrying Meta's code
     * and retryability; a network failure or a {@code 200} without an id with a retryable one (an upload reaches no
     * recipient). The caller bounds the whole upload: a large file may take longer than a send's deadline.
     */
    @Override
    public Mono<String> uploadMedia(MediaFile file) {
        Objects.requireNonNull(file, "file");
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(new ConnectionNotOpenException(sessionId));
            }
            MultipartBodyBuilder parts = new MultipartBodyBuilder();
            parts.part("messaging_product", "whatsapp");
            parts.part("type", file.mimeType());
            parts.asyncPart("file", file.content(), DataBuffer.class)
                    .filename(file.filename() != null ? file.filename() : "file")
                    .contentType(MediaType.parseMediaType(file.mimeType()));
            return client.post()
                    .uri(mediaUri)
                    .headers(headers -> headers.setBearerAuth(accessToken))
                    .contentType(MediaType.MULTIPART_FORM_DATA)
                    .accept(MediaType.APPLICATION_JSON)
                    .body(BodyInserters.fromMultipartData(parts.build()))
                    .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                            .map(text -> uploadedId(response, text)))
                    .onErrorMap(CloudApiConnection::isNetworkFailure, e -> new MediaUploadException(
                            new SendResult.Rejected(GraphErrors.UPLOAD_UNANSWERED,
                                    "no usable answer to the media upload", true), e))
                    .doOnNext(id -> log.debug("Cloud API session {} uploaded a {} file as media {}", sessionId,
                            file.mimeType(), id))
                    .doOnError(MediaUploadException.class, e -> log.info(
                            "Cloud API media upload of session {} failed: {}", sessionId, e.getMessage()));
        });
    }

    private String uploadedId(ClientResponse response, String text) {
        int status = response.statusCode().value();
        if (response.statusCode().is2xxSuccessful()) {
            JsonNode answer = parse(text);
            JsonNode id = answer == null ? null : answer.path("id");
            if (id == null || !id.isString() || id.stringValue().isBlank()) {
                throw new MediaUploadException(new SendResult.Rejected(GraphErrors.UPLOAD_UNANSWERED,
                        "media upload answered " + status + " without an id", true), null);
            }
            return id.stringValue();
        }
        GraphError error = graphError(text);
        throw new MediaUploadException(error == null ? GraphErrors.withoutGraphError(status)
                : GraphErrors.rejected(error.code(), error.message(), status), null);
    }

    /**
     * Marks the contact's messages read: one {@code POST …/messages}
     * {@code {"messaging_product":"whatsapp","status":"read","message_id":…}} per id, at most
     * {@value #MARK_READ_CONCURRENCY} at a time, each bounded like a send. Every id is tried even when one fails; then
     * the Mono errors with the first failure: {@link GraphApiException} when Meta refused (131009: not a message this
     * number received; 190: bad token), {@link UnknownOutcomeException} without an answer in time,
     * {@link IllegalArgumentException} for a blank id (nothing sent), {@link ConnectionNotOpenException} once closed.
     * Nothing is retried.
     */
    @Override
    public Mono<Void> markRead(List<String> waMessageIds) {
        List<String> ids = List.copyOf(waMessageIds);
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(new ConnectionNotOpenException(sessionId));
            }
            if (ids.stream().anyMatch(String::isBlank)) {
                return Mono.error(new IllegalArgumentException("A mark-as-read needs non-blank message ids"));
            }
            return Flux.fromIterable(ids)
                    .flatMap(id -> markOneRead(id).then(Mono.<Throwable>empty()).onErrorResume(Mono::just),
                            MARK_READ_CONCURRENCY)
                    .collectList()
                    .flatMap(failures -> {
                        if (failures.isEmpty()) {
                            return Mono.<Void>empty();
                        }
                        log.debug("Cloud API mark-as-read of session {}: {} of {} id(s) failed", sessionId,
                                failures.size(), ids.size());
                        return Mono.error(failures.getFirst());
                    });
        });
    }

    private Mono<Void> markOneRead(String waMessageId) {
        byte[] body = json.writeValueAsBytes(CloudApiRequests.markRead(waMessageId));
        return client.post()
                .uri(messagesUri)
                .headers(headers -> headers.setBearerAuth(accessToken))
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .bodyValue(body)
                .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                        .flatMap(text -> response.statusCode().is2xxSuccessful() ? Mono.<Void>empty()
                                : Mono.error(graphException(response, text))))
                .timeout(deadline, Mono.error(() -> new UnknownOutcomeException(
                        "No answer from the Graph API within " + deadline, null)))
                .onErrorMap(CloudApiConnection::isNetworkFailure,
                        e -> new UnknownOutcomeException("No usable answer from the Graph API: " + e, e));
    }

    /**
     * {@code GET {base}/{version}/{phone-number-id}} with the token: the round trip, or an error —
     * {@link GraphApiException} when Meta refused (190: bad token), {@link UnknownOutcomeException} without answer.
     */
    @Override
    public Mono<Duration> ping() {
        return Mono.defer(() -> {
            if (closed.get()) {
                return Mono.error(new ConnectionNotOpenException(sessionId));
            }
            long started = System.nanoTime();
            return client.get()
                    .uri(profileUri)
                    .headers(headers -> headers.setBearerAuth(accessToken))
                    .accept(MediaType.APPLICATION_JSON)
                    .exchangeToMono(response -> response.bodyToMono(String.class).defaultIfEmpty("")
                            .flatMap(text -> response.statusCode().is2xxSuccessful()
                                    ? Mono.just(Duration.ofNanos(System.nanoTime() - started))
                                    : Mono.error(graphException(response, text))))
                    .timeout(deadline, Mono.error(() -> new UnknownOutcomeException(
                            "No answer from the Graph API within " + deadline, null)))
                    .onErrorMap(CloudApiConnection::isNetworkFailure,
                            e -> new UnknownOutcomeException("No usable answer from the Graph API: " + e, e));
        });
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public Mono<Void> close() {
        return Mono.fromRunnable(() -> {
            if (closed.compareAndSet(false, true)) {
                log.debug("Cloud API connection of session {} closed", sessionId);
            }
        });
    }

    @Override
    public String toString() {
        return "CloudApiConnection[sessionId=" + sessionId + ", phoneNumberId=" + phoneNumberId + ", open="
                + isOpen() + "]";
    }

    private SendResult sendResult(ClientResponse response, String text) {
        int status = response.statusCode().value();
        if (response.statusCode().is2xxSuccessful()) {
            String waMessageId = messageId(text);
            if (waMessageId == null) {
                throw new AnswerWithoutIdException(status);
            }
            return new SendResult.Accepted(waMessageId, clock.instant());
        }
        GraphError error = graphError(text);
        return error == null ? GraphErrors.withoutGraphError(status)
                : GraphErrors.rejected(error.code(), error.message(), status);
    }

    private GraphApiException graphException(ClientResponse response, String text) {
        int status = response.statusCode().value();
        GraphError error = graphError(text);
        SendResult.Rejected rejected = error == null ? GraphErrors.withoutGraphError(status)
                : GraphErrors.rejected(error.code(), error.message(), status);
        return new GraphApiException(rejected.code(), rejected.title(), status, rejected.retryable());
    }

    private @Nullable String messageId(String text) {
        JsonNode answer = parse(text);
        if (answer == null) {
            return null;
        }
        JsonNode id = answer.path("messages").path(0).path("id");
        return id.isString() && !id.stringValue().isBlank() ? id.stringValue() : null;
    }

    private record GraphError(int code, @Nullable String message) {
    }

    /** {@code {"error":{"message","type","code",…}}}, or null when the body is no Graph error. */
    private @Nullable GraphError graphError(String text) {
        JsonNode answer = parse(text);
        if (answer == null) {
            return null;
        }
        JsonNode error = answer.path("error");
        JsonNode code = error.path("code");
        if (!code.isIntegralNumber() && !(code.isString() && code.stringValue().matches("[0-9]{1,9}"))) {
            return null;
        }
        JsonNode message = error.path("message");
        return new GraphError(code.isIntegralNumber() ? code.intValue() : Integer.parseInt(code.stringValue()),
                message.isString() ? message.stringValue() : null);
    }

    private @Nullable JsonNode parse(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        }
        catch (JacksonException e) {
            return null;
        }
    }

    private void logResult(OutboundSend send, SendResult result) {
        switch (result) {
            case SendResult.Accepted accepted -> log.debug("Cloud API send {} of session {} to {} accepted as {}",
                    send.clientRef(), sessionId, Pii.phone(send.to()), accepted.waMessageId());
            case SendResult.Rejected rejected -> {
                if (GraphErrors.meansBadCredentials(rejected.code())) {
                    log.warn("Cloud API credentials of session {} were refused ({}: {})", sessionId,
                            rejected.code(), rejected.title());
                }
                else {
                    log.info("Cloud API send {} of session {} to {} rejected: {} {} (retryable: {})",
                            send.clientRef(), sessionId, Pii.phone(send.to()), rejected.code(), rejected.title(),
                            rejected.retryable());
                }
            }
        }
    }

    private static boolean isNetworkFailure(Throwable error) {
        return error instanceof WebClientException || error instanceof IOException
                || error instanceof ChannelException || error instanceof AnswerWithoutIdException
                || error instanceof TimeoutException && !(error instanceof UnknownOutcomeException);
    }

    /** A 2xx answer to a send without {@code messages[0].id}: Meta may have taken it, we cannot tell which. */
    private static final class AnswerWithoutIdException extends RuntimeException {

        AnswerWithoutIdException(int status) {
            super("HTTP " + status + " without messages[0].id", null, false, false);
        }
    }
}
