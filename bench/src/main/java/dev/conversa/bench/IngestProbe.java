package dev.conversa.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.conversa.testsupport.TestKafka;

/**
 * What the benchmark reads while the service works: rows in {@code message.messages} ({@code count(*)}, exact), the
 * consumer group's lag on a topic (end offsets minus committed offsets, summed over partitions, Kafka admin), what
 * the service's database connections are doing ({@code pg_stat_activity}), and its per-batch log lines.
 */
final class IngestProbe implements AutoCloseable {

    static final String GROUP = "message-service";

    private static final Pattern STORED = Pattern.compile("Stored (\\d+) inbound messages \\((\\d+) already had\\); "
            + "conversations: (\\d+) opened \\(or announced again\\), (\\d+) updated");

    private final Connection counter;
    private final Connection activity;
    private final PreparedStatement activityQuery;
    private final Admin admin;
    private final Path serviceLog;
    private final LogTail batchTail = new LogTail();

    IngestProbe(String database, Path serviceLog) throws SQLException {
        this.counter = connect(database, "bench-count");
        this.activity = connect(database, "bench-activity");
        // prepared once: sampled every 50 ms
        this.activityQuery = activity.prepareStatement("""
                SELECT count(*) FILTER (WHERE state = 'active'),
                       count(*) FILTER (WHERE state LIKE 'idle in transaction%')
                  FROM pg_stat_activity
                 WHERE datname = current_database() AND backend_type = 'client backend'
                   AND application_name NOT LIKE 'bench-%'""");
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers()));
        this.serviceLog = serviceLog;
    }

    static Connection connect(String database, String applicationName) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + database, properties);
    }

    Connection jdbc() {
        return counter;
    }

    synchronized long rows() {
        return queryLong("SELECT count(*) FROM message.messages");
    }

    synchronized long queryLong(String sql) {
        try (Statement statement = counter.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
        catch (SQLException e) {
            throw new IllegalStateException(sql, e);
        }
    }

    /** Records behind the end of {@code topic} for {@link #GROUP}, summed over the partitions. */
    long lag(String topic) {
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(GROUP)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            long lag = 0;
            for (Map.Entry<TopicPartition, Long> end : endOffsets(topic).entrySet()) {
                OffsetAndMetadata offset = committed.get(end.getKey());
                lag += end.getValue() - (offset == null ? 0 : offset.offset());
            }
            return lag;
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot read the lag of " + GROUP + " on " + topic, e);
        }
    }

    /** Records in {@code topic} (end offsets summed). */
    long records(String topic) {
        return endOffsets(topic).values().stream().mapToLong(Long::longValue).sum();
    }

    private Map<TopicPartition, Long> endOffsets(String topic) {
        try {
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            for (int p = 0; p < TestKafka.PARTITIONS; p++) {
                request.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            Map<TopicPartition, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(10, TimeUnit.SECONDS)
                    .forEach((partition, info) -> ends.put(partition, info.offset()));
            return ends;
        }
        catch (Exception e) {
            throw new IllegalStateException("cannot read the end offsets of " + topic, e);
        }
    }

    /**
     * The service's connections right now: how many run a statement ({@code active}), how many sit in an open
     * transaction waiting for the service ({@code idle in transaction}); the benchmark's own are left out.
     */
    int[] connectionStates() {
        try (ResultSet result = activityQuery.executeQuery()) {
            result.next();
            return new int[] {result.getInt(1), result.getInt(2)};
        }
        catch (SQLException e) {
            return new int[] {-1, -1};
        }
    }

    /** Per-batch log lines of the service since the last call: batches, messages, conversations opened/updated. */
    long[] batchLines() {
        long[] totals = new long[5];
        for (String line : batchTail.newLines()) {
            Matcher matcher = STORED.matcher(line);
            if (matcher.find()) {
                totals[0]++;
                for (int i = 1; i <= 4; i++) {
                    totals[i] += Long.parseLong(matcher.group(i));
                }
            }
        }
        return totals;
    }

    /**
     * A running count of the messages the service reports stored (new rows, from its per-batch lines, written after
     * each commit), with a read position of its own: a way to follow the service without counting the table, which
     * costs PostgreSQL the CPU the service needs.
     */
    StoredCounter storedCounter() {
        return new StoredCounter();
    }

    final class StoredCounter {

        private final LogTail tail = new LogTail(true);
        private long stored;

        /** The messages reported stored since this counter was created. */
        long stored() {
            for (String line : tail.newLines()) {
                Matcher matcher = STORED.matcher(line);
                if (matcher.find()) {
                    stored += Long.parseLong(matcher.group(1));
                }
            }
            return stored;
        }
    }

    /** The complete lines appended to the service's log since the previous call (each reader its own position). */
    private final class LogTail {

        private long offset;
        private String partialLine = "";

        LogTail() {
            this(false);
        }

        /** A tail that starts at the end of the log as it is now ({@code fromNow}) or at its beginning. */
        LogTail(boolean fromNow) {
            this.offset = fromNow ? serviceLog.toFile().length() : 0;
        }

        List<String> newLines() {
            try (RandomAccessFile in = new RandomAccessFile(serviceLog.toFile(), "r")) {
                long length = in.length();
                if (length <= offset) {
                    return List.of();
                }
                byte[] bytes = new byte[(int) Math.min(length - offset, 256L << 20)];
                in.seek(offset);
                in.readFully(bytes);
                offset += bytes.length;
                String text = partialLine + new String(bytes, StandardCharsets.UTF_8);
                int lastNewline = text.lastIndexOf('\n');
                partialLine = text.substring(lastNewline + 1);
                return text.substring(0, Math.max(lastNewline, 0)).lines().toList();
            }
            catch (IOException e) {
                throw new IllegalStateException("cannot read " + serviceLog, e);
            }
        }
    }

    /** Whole-log counts of WARN and ERROR lines. */
    long[] warningsAndErrors() {
        long[] counts = new long[2];
        try {
            for (String line : java.nio.file.Files.readAllLines(serviceLog)) {
                if (line.contains(" WARN ")) {
                    counts[0]++;
                }
                else if (line.contains(" ERROR ")) {
                    counts[1]++;
                }
            }
        }
        catch (IOException e) {
            return new long[] {-1, -1};
        }
        return counts;
    }

    List<String> firstLinesContaining(String text, int max) {
        try {
            return java.nio.file.Files.readAllLines(serviceLog).stream().filter(line -> line.contains(text))
                    .limit(max).toList();
        }
        catch (IOException e) {
            return List.of();
        }
    }

    @Override
    public void close() throws SQLException {
        admin.close();
        counter.close();
        activity.close();
    }
}
