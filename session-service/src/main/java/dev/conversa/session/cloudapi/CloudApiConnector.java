package dev.conversa.session.cloudapi;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.stereotype.Component;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.util.UriComponentsBuilder;

import io.micrometer.observation.ObservationRegistry;
import io.netty.channel.ChannelOption;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import tools.jackson.databind.json.JsonMapper;

/**
 * Makes the {@link CloudApiConnection} of a Cloud API session from its phone-number id and access token (read by
 * the caller from {@code CloudApiCredentialsStore}). Connecting does no I/O: every connection of this instance shares
 * one {@link WebClient} over one pooled Reactor Netty client with the connect and response timeouts of
 * {@link CloudApiProperties}; the pool is disposed when the application context closes.
 */
@Component
public class CloudApiConnector implements DisposableBean {

    private static final Pattern PHONE_NUMBER_ID = Pattern.compile("^[A-Za-z0-9_.-]{1,64}$");
    /** Beyond the response timeout: waiting for a pooled connection and the connect itself. */
    private static final Duration DEADLINE_SLACK = Duration.ofSeconds(1);

    private final CloudApiProperties properties;
    private final ConnectionProvider pool;
    private final WebClient client;
    private final JsonMapper json;
    private final Duration deadline;
    private final Clock clock;

    @Autowired
    public CloudApiConnector(CloudApiProperties properties, ObjectProvider<ObservationRegistry> observations) {
        this(properties, observations.getIfAvailable(() -> ObservationRegistry.NOOP), Clock.systemUTC());
    }

    /** Without observations, e.g. in tests. */
    public CloudApiConnector(CloudApiProperties properties) {
        this(properties, ObservationRegistry.NOOP, Clock.systemUTC());
    }

    CloudApiConnector(CloudApiProperties properties, ObservationRegistry observations, Clock clock) {
        this.properties = Objects.requireNonNull(properties, "properties");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.pool = ConnectionProvider.builder("conversa-cloud-api")
                .maxConnections(properties.maxConnections())
                .pendingAcquireTimeout(properties.responseTimeout())
                .maxIdleTime(Duration.ofSeconds(30))
                .maxLifeTime(Duration.ofMinutes(5))
                .evictInBackground(Duration.ofSeconds(30))
                .build();
        HttpClient http = HttpClient.create(pool)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, Math.toIntExact(properties.connectTimeout().toMillis()))
                .responseTimeout(properties.responseTimeout());
        this.client = WebClient.builder()
                .clientConnector(new ReactorClientHttpConnector(http))
                .observationRegistry(observations)
                .build();
        this.json = JsonMapper.builder().build();
        this.deadline = properties.connectTimeout().plus(properties.responseTimeout()).plus(DEADLINE_SLACK);
    }

    /**
     * The connection of {@code sessionId} sending from {@code phoneNumberId} with {@code accessToken}; open until
     * closed. No request is made: a bad token shows on the first send (code 190) or {@link CloudApiConnection#ping()}.
     */
    public CloudApiConnection connect(UUID sessionId, String phoneNumberId, String accessToken) {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(phoneNumberId, "phoneNumberId");
        Objects.requireNonNull(accessToken, "accessToken");
        if (!PHONE_NUMBER_ID.matcher(phoneNumberId).matches()) {
            throw new IllegalArgumentException("phoneNumberId must be Meta's phone-number id");
        }
        if (accessToken.isBlank()) {
            throw new IllegalArgumentException("accessToken must not be blank");
        }
        return new CloudApiConnection(sessionId, phoneNumberId, accessToken.strip(),
                uri(phoneNumberId, "messages"), uri(phoneNumberId, "media"), uri(phoneNumberId, null), client, json,
                deadline, clock);
    }

    public CloudApiProperties properties() {
        return properties;
    }

    @Override
    public void destroy() {
        pool.dispose();
    }

    private URI uri(String phoneNumberId, @Nullable String last) {
        UriComponentsBuilder builder = UriComponentsBuilder.fromUri(properties.baseUrl())
                .pathSegment(properties.version(), phoneNumberId);
        if (last != null) {
            builder.pathSegment(last);
        }
        return builder.build().encode().toUri();
    }
}
