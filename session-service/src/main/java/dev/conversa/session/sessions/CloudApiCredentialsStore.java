package dev.conversa.session.sessions;

import java.util.UUID;

import org.springframework.stereotype.Component;

import dev.conversa.session.authstate.AuthStateStore;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Cloud API session's credentials in its (encrypted) auth state: written when the session is created, read by the
 * Cloud API transport and the webhook ingress. They never reach {@code session.sessions}, an API response or a log.
 */
@Component
public class CloudApiCredentialsStore {

    private final AuthStateStore authState;
    private final JsonMapper json;

    CloudApiCredentialsStore(AuthStateStore authState) {
        this.authState = authState;
        this.json = JsonMapper.builder().build();
    }

    public Mono<Void> save(UUID sessionId, String tenantId, CloudApiCredentials credentials) {
        return Mono.fromCallable(() -> json.writeValueAsBytes(credentials))
                .flatMap(blob -> authState.save(sessionId, tenantId, blob));
    }

    /** The credentials, or empty when the session has none (not a Cloud API session, or wiped). */
    public Mono<CloudApiCredentials> load(UUID sessionId) {
        return authState.load(sessionId).map(blob -> json.readValue(blob, CloudApiCredentials.class));
    }
}
