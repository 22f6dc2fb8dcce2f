package dev.conversa.bench;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.conversa.testsupport.TestJwts;
import dev.conversa.testsupport.TestKafka;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * The servers the session-service instances share: the local PostgreSQL (database {@value #DATABASE}, dropped and
 * created per run; the service's Flyway migrates it), the local Redis (database {@value #REDIS_DATABASE}, flushed
 * per run), an embedded KRaft broker in this JVM ({@link TestKafka}, 12 partitions per topic as in production) and
 * the test JWKS ({@link TestJwts}). A fresh broker and database per run mean a fresh consumer group and no
 * sessions left from an earlier run.
 */
final class BenchServers {

    static final String DATABASE = "conversa_bench";
    static final int REDIS_DATABASE = 14;
    private static final String POSTGRES = "127.0.0.1:5432";
    private static final String AUTH_STATE_KEY_ID = "bench";

    private final String authStateKey = randomKey();

    /** Prepares the database and Redis, starts the broker and the JWKS endpoint. */
    static BenchServers start() throws SQLException {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + POSTGRES + "/postgres",
                "postgres", "");
                Statement sql = admin.createStatement()) {
            sql.execute("DROP DATABASE IF EXISTS " + DATABASE + " WITH (FORCE)");
            sql.execute("CREATE DATABASE " + DATABASE);
        }
        RedisClient redis = RedisClient.create("redis://127.0.0.1:6379/" + REDIS_DATABASE);
        try (StatefulRedisConnection<String, String> connection = redis.connect()) {
            connection.sync().flushdb();
        }
        finally {
            redis.shutdown();
        }
        TestKafka.broker();
        TestJwts.get();
        return new BenchServers();
    }

    /** The Spring properties of one session-service instance of this run. */
    Map<String, Object> serviceProperties(CapacitySettings settings) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", "r2dbc:postgresql://" + POSTGRES + "/" + DATABASE);
        properties.put("spring.r2dbc.username", "postgres");
        properties.put("spring.flyway.url", "jdbc:postgresql://" + POSTGRES + "/" + DATABASE);
        properties.put("spring.flyway.user", "postgres");
        properties.put("spring.data.redis.host", "127.0.0.1");
        properties.put("spring.data.redis.port", 6379);
        properties.put("spring.data.redis.database", REDIS_DATABASE);
        properties.put("spring.cloud.stream.kafka.binder.brokers", TestKafka.bootstrapServers());
        properties.put("spring.kafka.bootstrap-servers", TestKafka.bootstrapServers());
        properties.put("spring.cloud.stream.kafka.binder.replication-factor", 1);
        properties.put("spring.security.oauth2.resourceserver.jwt.issuer-uri", TestJwts.get().issuer());
        properties.put("spring.security.oauth2.resourceserver.jwt.jwk-set-uri", TestJwts.get().jwksUri());
        properties.put("conversa.session.auth-state.active-key-id", AUTH_STATE_KEY_ID);
        properties.put("conversa.session.auth-state.keys." + AUTH_STATE_KEY_ID, authStateKey);
        properties.put("conversa.session.linked.url", settings.linkedUrl());
        properties.put("conversa.session.ownership.lease-ttl", settings.leaseTtl());
        properties.put("conversa.session.runtime.restore-concurrency", settings.restoreConcurrency());
        String consumer = "spring.cloud.stream.kafka.bindings.handleCommand-in-0.consumer.configuration.";
        properties.put(consumer + "session.timeout.ms", settings.kafkaSessionTimeoutMs());
        properties.put(consumer + "heartbeat.interval.ms", settings.kafkaHeartbeatMs());
        properties.put("conversa.session.cleanup.cron", "-");
        properties.put("management.otlp.metrics.export.enabled", false);
        properties.put("management.tracing.export.enabled", false);
        return properties;
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }
}
