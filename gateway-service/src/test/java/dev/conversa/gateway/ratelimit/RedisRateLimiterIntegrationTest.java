package dev.conversa.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

import dev.conversa.testsupport.TestRedis;
import reactor.test.StepVerifier;

/** The GCRA bucket on the machine's Redis: the whole allowance at once, then one request per interval. */
class RedisRateLimiterIntegrationTest {

    private static LettuceConnectionFactory connections;
    private static RedisRateLimiter limiter;

    @BeforeAll
    static void connect() {
        TestRedis.Database database = TestRedis.allocate();
        RedisStandaloneConfiguration config = new RedisStandaloneConfiguration(database.host(), database.port());
        config.setDatabase(database.index());
        connections = new LettuceConnectionFactory(config);
        connections.afterPropertiesSet();
        connections.start();
        limiter = new RedisRateLimiter(new ReactiveStringRedisTemplate(connections));
    }

    @AfterAll
    static void disconnect() {
        connections.destroy();
    }

    @Test
    void burstOfTheWholeAllowanceThenRefusalWithTheWaitUntilTheNextToken() {
        String key = "test:" + UUID.randomUUID();
        RateLimitProperties.Limit fivePerMinute = new RateLimitProperties.Limit(5, Duration.ofMinutes(1));
        long start = System.nanoTime();
        for (int remaining = 4; remaining >= 0; remaining--) {
            long expected = remaining;
            StepVerifier.create(limiter.acquire(key, fivePerMinute))
                    .assertNext(decision -> assertThat(decision)
                            .isEqualTo(new RedisRateLimiter.Decision(true, 0, expected)))
                    .verifyComplete();
        }
        StepVerifier.create(limiter.acquire(key, fivePerMinute))
                .assertNext(decision -> {
                    assertThat(decision.allowed()).isFalse();
                    // one token every 12 s, counted from the first request
                    long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
                    assertThat(decision.waitMillis()).isBetween(12_000L - elapsed - 5, 12_000L);
                })
                .verifyComplete();
    }

    @Test
    void tokensComeBackAtTheConfiguredRate() throws InterruptedException {
        String key = "test:" + UUID.randomUUID();
        RateLimitProperties.Limit twoPerSecond = new RateLimitProperties.Limit(2, Duration.ofSeconds(1));
        limiter.acquire(key, twoPerSecond).block();
        limiter.acquire(key, twoPerSecond).block();
        assertThat(limiter.acquire(key, twoPerSecond).block().allowed()).isFalse();
        Thread.sleep(550);
        assertThat(limiter.acquire(key, twoPerSecond).block().allowed()).isTrue();
        assertThat(limiter.acquire(key, twoPerSecond).block().allowed()).isFalse();
    }

    @Test
    void hugeAllowancesStillWork() {
        // one request per 60 µs: below the precision of a millisecond timestamp near 2^40
        RateLimitProperties.Limit huge = new RateLimitProperties.Limit(1_000_000_000, Duration.ofMinutes(1));
        String key = "test:" + UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.acquire(key, huge).block().allowed()).isTrue();
        }
    }

    @Test
    void callersAndRulesHaveSeparateBuckets() {
        RateLimitProperties.Limit one = new RateLimitProperties.Limit(1, Duration.ofMinutes(1));
        String prefix = "test:" + UUID.randomUUID();
        assertThat(limiter.acquire(prefix + ":send:alice", one).block().allowed()).isTrue();
        assertThat(limiter.acquire(prefix + ":send:alice", one).block().allowed()).isFalse();
        assertThat(limiter.acquire(prefix + ":send:bob", one).block().allowed()).isTrue();
        assertThat(limiter.acquire(prefix + ":import:alice", one).block().allowed()).isTrue();
    }
}
