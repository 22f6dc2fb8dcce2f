package dev.conversa.testsupport;

import java.util.concurrent.atomic.AtomicInteger;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;

/**
 * A Redis logical database per test class on the machine's Redis ({@code 127.0.0.1:6379}, or
 * {@code CONVERSA_TEST_REDIS_HOST}/{@code _PORT}), emptied before the class uses it. Databases 1–15 are handed out
 * in turn (database 0 is left to people); test classes in one JVM run one after another, so they never share one.
 */
public final class TestRedis {

    private static final int FIRST = 1;
    private static final int COUNT = 15;
    private static final AtomicInteger next = new AtomicInteger();

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
        Database database = new Database(host, port, FIRST + Math.floorMod(next.getAndIncrement(), COUNT));
        RedisClient client = RedisClient.create(database.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            connection.sync().flushdb();
        }
        finally {
            client.shutdown();
        }
        return database;
    }
}
