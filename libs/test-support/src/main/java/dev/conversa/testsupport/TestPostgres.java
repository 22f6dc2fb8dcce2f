package dev.conversa.testsupport;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A fresh PostgreSQL database per test class, on a real server: the machine's ({@code 127.0.0.1:5432}, or
 * {@code CONVERSA_TEST_PG_HOST}/{@code _PORT}/{@code _USER}/{@code _PASSWORD}), or, where none listens and a Docker
 * engine exists, a Testcontainers PostgreSQL. Databases are dropped when the JVM exits; ones left behind by a killed
 * run are dropped by the next run after a few hours.
 */
public final class TestPostgres {

    private static final String PREFIX = "conversa_t_";
    private static final Duration STALE_AFTER = Duration.ofHours(6);
    private static volatile Server server;

    private TestPostgres() {
    }

    /** Where the server is: host, port and a superuser. */
    public record Server(String host, int port, String user, String password) {

        String jdbcUrl(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    /** A database made for one test class. */
    public record Database(Server server, String name) {

        public String jdbcUrl() {
            return server.jdbcUrl(name);
        }

        public String r2dbcUrl() {
            return "r2dbc:postgresql://" + server.host() + ":" + server.port() + "/" + name;
        }

        public String user() {
            return server.user();
        }

        public String password() {
            return server.password();
        }

        /** Opens a plain JDBC connection, for assertions on what a service stored. */
        public Connection connect() throws SQLException {
            return DriverManager.getConnection(jdbcUrl(), user(), password());
        }

        /** The first column of the single row {@code sql} answers, as a number (e.g. a {@code count(*)}). */
        public long queryLong(String sql, Object... parameters) {
            Object value = queryRow(sql, parameters).values().iterator().next();
            return ((Number) value).longValue();
        }

        /** The first column of the single row {@code sql} answers, as text (null for SQL NULL). */
        public String queryString(String sql, Object... parameters) {
            Object value = queryRow(sql, parameters).values().iterator().next();
            return value == null ? null : value.toString();
        }

        /** The first row {@code sql} answers, column name → value; fails when there is none. */
        public Map<String, Object> queryRow(String sql, Object... parameters) {
            try (Connection connection = connect(); PreparedStatement query = prepare(connection, sql, parameters);
                    ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new AssertionError("No row for: " + sql);
                }
                Map<String, Object> row = new LinkedHashMap<>();
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    row.put(rows.getMetaData().getColumnName(column), rows.getObject(column));
                }
                return row;
            }
            catch (SQLException e) {
                throw new IllegalStateException("Cannot run " + sql, e);
            }
        }

        /** Runs an INSERT, UPDATE or DELETE; answers how many rows it changed. */
        public int update(String sql, Object... parameters) {
            try (Connection connection = connect(); PreparedStatement update = prepare(connection, sql, parameters)) {
                return update.executeUpdate();
            }
            catch (SQLException e) {
                throw new IllegalStateException("Cannot run " + sql, e);
            }
        }

        private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
                throws SQLException {
            PreparedStatement statement = connection.prepareStatement(sql);
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement;
        }
    }

    public static Database createDatabase(String owner) {
        Server target = server();
        String name = (PREFIX + Instant.now().getEpochSecond() + "_" + sanitize(owner) + "_"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000, 0xfffff)))
                .toLowerCase(Locale.ROOT);
        if (name.length() > 63) {
            name = name.substring(0, 57) + "_" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        }
        execute(target, "CREATE DATABASE " + name);
        String created = name;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> dropQuietly(target, created)));
        return new Database(target, name);
    }

    public static synchronized Server server() {
        if (server == null) {
            server = locate();
            dropStaleDatabases(server);
        }
        return server;
    }

    private static Server locate() {
        String host = env("CONVERSA_TEST_PG_HOST", "127.0.0.1");
        int port = Integer.parseInt(env("CONVERSA_TEST_PG_PORT", "5432"));
        Server local = new Server(host, port, env("CONVERSA_TEST_PG_USER", "postgres"),
                env("CONVERSA_TEST_PG_PASSWORD", ""));
        if (reachable(host, port) || System.getenv("CONVERSA_TEST_PG_HOST") != null) {
            return local;
        }
        if (DockerClientFactory.instance().isDockerAvailable()) {
            PostgreSQLContainer container = new PostgreSQLContainer("postgres:16-alpine");
            container.start();
            return new Server(container.getHost(), container.getMappedPort(5432), container.getUsername(),
                    container.getPassword());
        }
        throw new IllegalStateException("No PostgreSQL at " + host + ":" + port
                + " and no Docker engine: start PostgreSQL (see README, 'Running the tests')");
    }

    private static void dropStaleDatabases(Server target) {
        long cutoff = Instant.now().minus(STALE_AFTER).getEpochSecond();
        List<String> stale = new ArrayList<>();
        try (Connection connection = admin(target); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT datname FROM pg_database WHERE datname LIKE '" + PREFIX + "%'")) {
            while (rows.next()) {
                String name = rows.getString(1);
                String[] parts = name.substring(PREFIX.length()).split("_", 2);
                if (parts[0].chars().allMatch(Character::isDigit) && Long.parseLong(parts[0]) < cutoff) {
                    stale.add(name);
                }
            }
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot list test databases on " + target.host(), e);
        }
        stale.forEach(name -> dropQuietly(target, name));
    }

    private static void dropQuietly(Server target, String name) {
        try {
            execute(target, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
        catch (RuntimeException ignored) {
            // best effort at shutdown; a later run drops what is left
        }
    }

    private static void execute(Server target, String sql) {
        try (Connection connection = admin(target); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
        catch (SQLException e) {
            throw new IllegalStateException("Cannot run '" + sql + "' on " + target.host() + ":" + target.port(), e);
        }
    }

    private static Connection admin(Server target) throws SQLException {
        return DriverManager.getConnection(target.jdbcUrl("postgres"), target.user(), target.password());
    }

    static boolean reachable(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 500);
            return true;
        }
        catch (java.io.IOException e) {
            return false;
        }
    }

    private static String sanitize(String owner) {
        String simple = owner.substring(owner.lastIndexOf('.') + 1);
        return simple.replaceAll("[^A-Za-z0-9]", "_");
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
