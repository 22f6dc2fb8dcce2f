package dev.conversa.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * A Redis logical database per test class on the machine's Redis ({@code 127.0.0.1:6379}, or
 * {@code CONVERSA_TEST_REDIS_HOST}/{@code _PORT}), emptied before the class uses it. Databases 1–15 are handed out
 * in turn (database 0 is left to people); test classes in one JVM run one after another, so they never share one.
 *
 * <p>Several test JVMs may run at once on one machine (parallel builds, several checkouts). Each database is
 * therefore claimed first with a key in database 0 ({@code conversa:test-redis:<n>}, {@code SET NX} with a TTL,
 * the JVM's token as value): a JVM takes only databases that are free or already its own, so two JVMs never empty
 * each other's data. Claims are dropped when the JVM exits and expire on their own after a crash.
 */
public final class TestRedis {

    private static final int FIRST = 1;
    private static final int COUNT = 15;
    private static final AtomicInteger next = new AtomicInteger();
    private static final String CLAIM_PREFIX = "conversa:test-redis:";
    private static final long CLAIM_TTL_SECONDS = 3600;
    private static final String TOKEN = ProcessHandle.current().pid() + "-" + java.util.UUID.randomUUID();
    private static final java.util.Set<Integer> claimed = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private TestRedis() {
    }

    public record Database(String host, int port, int index) {

        public RedisURI uri() {
            return RedisURI.builder().withHost(host).withPort(port).withDatabase(index).build();
        }
    }

    public static Database allocate() {
        String host = TestPostgres.env("CONVERSA_TEST_REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(TestPostgres.env("CONVERSA_TEST_REDIS_PORT", "6379"));
        if (!TestPostgres.reachable(host, port)) {
            throw new IllegalStateException("No Redis at " + host + ":" + port
                    + ": start it (see README, 'Running the tests')");
        }
        Database database = new Database(host, port, claim(host, port));
        RedisClient client = RedisClient.create(database.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().flushdb();
        }
        finally {
            client.shutdown();
        }
        return database;
    }

    /** The next database this JVM may use: free, or already claimed by this JVM; waits while all are taken. */
    private static synchronized int claim(String host, int port) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(host).withPort(port).withDatabase(0)
                .build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            var redis = connection.sync();
            long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
            while (true) {
                for (int i = 0; i < COUNT; i++) {
                    int index = FIRST + Math.floorMod(next.getAndIncrement(), COUNT);
                    String key = CLAIM_PREFIX + index;
                    boolean ours = TOKEN.equals(redis.get(key));
                    if (ours || "OK".equals(redis.set(key, TOKEN,
                            io.lettuce.core.SetArgs.Builder.nx().ex(CLAIM_TTL_SECONDS)))) {
                        redis.expire(key, CLAIM_TTL_SECONDS);
                        if (claimed.add(index) && claimed.size() == 1) {
                            Runtime.getRuntime().addShutdownHook(new Thread(() -> release(host, port),
                                    "test-redis-release"));
                        }
                        return index;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("All Redis test databases 1-15 are claimed by other test JVMs");
                }
                try {
                    Thread.sleep(500);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for a Redis test database", e);
                }
            }
        }
        finally {
            client.shutdown();
        }
    }

    private static void release(String host, int port) {
        RedisClient client = RedisClient.create(RedisURI.builder().withHost(host).withPort(port).withDatabase(0)
                .build());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            for (int index : claimed) {
                String key = CLAIM_PREFIX + index;
                if (TOKEN.equals(connection.sync().get(key))) {
                    connection.sync().del(key);
                }
            }
        }
        catch (RuntimeException e) {
            // the claims expire on their own
        }
        finally {
            client.shutdown();
        }
    }
}
