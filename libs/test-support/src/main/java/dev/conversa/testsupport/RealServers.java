package dev.conversa.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spring properties that point a service at real servers made for one test owner: its own PostgreSQL database,
 * its own Redis database, the JVM's KRaft broker and the test JWKS. Used by {@link ConversaIntegrationTest} and by
 * tests that start several services in one JVM.
 */
public final class RealServers {

    /** A random AES-256 key per test JVM for services that encrypt state; nothing in the repository. */
    private static final String TEST_KEY = randomKey();

    private final TestPostgres.Database database;
    private final TestRedis.Database redis;

    private RealServers(TestPostgres.Database database, TestRedis.Database redis) {
        this.database = database;
        this.redis = redis;
    }

    /** Creates the database and picks the Redis database for {@code owner} (usually the test class name). */
    public static RealServers forOwner(String owner) {
        return new RealServers(TestPostgres.createDatabase(owner), TestRedis.allocate());
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return java.util.Base64.getEncoder().encodeToString(key);
    }

    public TestPostgres.Database database() {
        return database;
    }

    public TestRedis.Database redis() {
        return redis;
    }

    public Map<String, Object> properties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", database.r2dbcUrl());
        properties.put("spring.r2dbc.username", database.user());
        properties.put("spring.r2dbc.password", database.password());
        properties.put("spring.flyway.url", database.jdbcUrl());
        properties.put("spring.flyway.user", database.user());
        properties.put("spring.flyway.password", database.password());
        properties.put("spring.data.redis.host", redis.host());
        properties.put("spring.data.redis.port", redis.port());
        properties.put("spring.data.redis.database", redis.index());
        properties.put("spring.cloud.stream.kafka.binder.brokers", TestKafka.bootstrapServers());
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        properties.put("spring.cloud.stream.kafka.binder.replication-factor", 1);
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.get().issuer());
        properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestJwts.get().jwksUri());
        properties.put("conversa.session.auth-state.active-key-id", "test");
        properties.put("conversa.session.auth-state.keys.test", TEST_KEY);
        // message-service signs media links with it (a random key per JVM, like the auth-state key)
        properties.put("conversa.media.signing-key", TEST_KEY);
        properties.put("management.otlp.metrics.export.enabled", false);
        properties.put("management.tracing.export.enabled", false);
        // test JVMs close every cached context at exit: without this each waits Reactor Netty's 2 s quiet period,
        // and a module with a dozen contexts outlasts surefire's 30 s exit timeout
        properties.put("spring.reactor.netty.shutdown-quiet-period", "0s");
        return properties;
    }
}
