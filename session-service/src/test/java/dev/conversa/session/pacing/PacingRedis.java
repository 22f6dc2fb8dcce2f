package dev.conversa.session.pacing;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

/**
 * A template on the machine's Redis ({@code 127.0.0.1:6379}, or {@code CONVERSA_TEST_REDIS_HOST}/{@code _PORT}),
 * database 0. Not {@code TestRedis.allocate()}: it empties a database that another test JVM on this machine may be
 * using at the same time, and these tests need none emptied: every key they touch belongs to a random session id and
 * expires within seconds.
 */
final class PacingRedis implements AutoCloseable {

    private final LettuceConnectionFactory factory;
    private final ReactiveStringRedisTemplate template;

    private PacingRedis(LettuceConnectionFactory factory) {
        this.factory = factory;
        this.template = new ReactiveStringRedisTemplate(factory);
    }

    static PacingRedis connect() {
        return connect(env("CONVERSA_TEST_REDIS_HOST", "127.0.0.1"),
                Integer.parseInt(env("CONVERSA_TEST_REDIS_PORT", "6379")));
    }

    static PacingRedis connect(String host, int port) {
        LettuceConnectionFactory factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(host, port));
        factory.afterPropertiesSet();
        factory.start();
        return new PacingRedis(factory);
    }

    ReactiveStringRedisTemplate template() {
        return template;
    }

    @Override
    public void close() {
        factory.destroy();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
