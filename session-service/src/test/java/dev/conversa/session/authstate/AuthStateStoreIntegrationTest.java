package dev.conversa.session.authstate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.r2dbc.core.DatabaseClient;

import dev.conversa.testsupport.ConversaIntegrationTest;
import dev.conversa.testsupport.RealServers;
import reactor.test.StepVerifier;

/** Auth state on the real database: the service reads back what it wrote, and the table holds only ciphertext. */
@ConversaIntegrationTest
class AuthStateStoreIntegrationTest {

    private static final String MARKER = "advSecretKey-PLAINTEXT-MARKER";

    @Autowired
    AuthStateStore store;

    @Autowired
    RealServers servers;

    @Autowired
    ApplicationContext context;

    @Test
    void databaseHoldsOnlyCiphertextAndTheServiceReadsItBack() throws Exception {
        UUID session = insertSession("tenant-a");
        byte[] state = ("{\"creds\":{\"" + MARKER + "\":\"x\"}}").getBytes(StandardCharsets.UTF_8);

        StepVerifier.create(store.save(session, "tenant-a", state)).verifyComplete();

        Map<String, Object> row = servers.database().queryRow(
                "SELECT key_id, ciphertext FROM session.auth_state WHERE session_id = ?", session);
        assertThat(row.get("key_id")).isEqualTo("test");
        byte[] stored = (byte[]) row.get("ciphertext");
        assertThat(new String(stored, StandardCharsets.ISO_8859_1)).doesNotContain(MARKER);
        assertThat(stored).isNotEqualTo(state);
        assertThat(servers.database().queryLong("SELECT count(*) FROM session.auth_state t WHERE t::text LIKE ?",
                "%" + MARKER + "%")).as("rows whose text dump shows the secret").isZero();
        StepVerifier.create(store.load(session)).assertNext(loaded -> assertThat(loaded).isEqualTo(state))
                .verifyComplete();
    }

    @Test
    void savingAgainReplacesTheStateAndWipeRemovesIt() throws Exception {
        UUID session = insertSession("tenant-b");
        store.save(session, "tenant-b", "one".getBytes(StandardCharsets.UTF_8)).block();
        store.save(session, "tenant-b", "two".getBytes(StandardCharsets.UTF_8)).block();

        StepVerifier.create(store.load(session).map(String::new)).expectNext("two").verifyComplete();
        StepVerifier.create(store.wipe(session)).expectNext(true).verifyComplete();
        StepVerifier.create(store.load(session)).verifyComplete();
        StepVerifier.create(store.wipe(session)).expectNext(false).verifyComplete();
    }

    @Test
    void rotationReencryptsEveryStateUnderTheNewKey() throws Exception {
        UUID session = insertSession("tenant-c");
        store.save(session, "tenant-c", "rotate-me".getBytes(StandardCharsets.UTF_8)).block();
        AuthStateProperties properties = context.getBean(AuthStateProperties.class);
        Map<String, String> keys = new HashMap<>(properties.keys());
        keys.put("next", AuthStateCipher.generateKey());
        AuthStateStore rotated = new AuthStateStore(context.getBean(DatabaseClient.class),
                new AuthStateCipher(new AuthStateProperties("next", keys)));

        StepVerifier.create(rotated.reencrypt()).assertNext(count -> assertThat(count).isPositive()).verifyComplete();

        assertThat(servers.database().queryString("SELECT key_id FROM session.auth_state WHERE session_id = ?",
                session)).isEqualTo("next");
        StepVerifier.create(rotated.load(session).map(String::new)).expectNext("rotate-me").verifyComplete();
    }

    private UUID insertSession(String tenant) {
        UUID id = UUID.randomUUID();
        servers.database().update(
                "INSERT INTO session.sessions (id, tenant_id, name, transport) VALUES (?, ?, ?, 'linked')",
                id, tenant, "n-" + id);
        return id;
    }
}
