package dev.conversa.bench;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Follows a service's log file for the two lines that time a hand-over, noting when this benchmark saw each: the
 * ownership listener's {@code Assigned partitions [..] of wa.commands} (Kafka gave the instance partitions) and
 * the runtime's {@code Partitions [..] assigned: n session(s) restored in m ms} (their sessions were opened: lease
 * taken, auth state loaded, socket being connected). It also counts WARN and ERROR lines.
 */
final class ServiceLog {

    private static final Pattern ASSIGNED = Pattern.compile("Assigned partitions \\[([0-9, ]*)] of wa\\.commands");
    private static final Pattern RESTORED = Pattern.compile(
            "Partitions \\[([0-9, ]*)] assigned: (\\d+) session\\(s\\) restored in (\\d+) ms");

    /** Kafka assigned {@code partitions}; seen by the benchmark at {@code seenAtNanos} ({@link System#nanoTime}). */
    record Assignment(Set<Integer> partitions, long seenAtNanos) {
    }

    /** The runtime's restore of {@code partitions}: what it logged, and when the benchmark saw it. */
    record Restore(Set<Integer> partitions, long sessions, long millis, long seenAtNanos) {
    }

    private final Path file;
    private final List<Assignment> assignments = new ArrayList<>();
    private final List<Restore> restores = new ArrayList<>();
    private long offset;
    private long warnings;
    private long errors;
    private String partialLine = "";

    ServiceLog(Path file) {
        this.file = file;
    }

    /** Reads what was appended since the last call. */
    synchronized ServiceLog poll() {
        long now = System.nanoTime();
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            if (length <= offset) {
                return this;
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 64L << 20)];
            in.seek(offset);
            in.readFully(bytes);
            offset += bytes.length;
            String text = partialLine + new String(bytes, StandardCharsets.UTF_8);
            int lastNewline = text.lastIndexOf('\n');
            partialLine = text.substring(lastNewline + 1);
            if (lastNewline >= 0) {
                text.substring(0, lastNewline).lines().forEach(line -> read(line, now));
            }
        }
        catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        return this;
    }

    private void read(String line, long now) {
        if (line.contains(" WARN ")) {
            warnings++;
        }
        else if (line.contains(" ERROR ")) {
            errors++;
        }
        Matcher assigned = ASSIGNED.matcher(line);
        if (assigned.find()) {
            assignments.add(new Assignment(partitions(assigned.group(1)), now));
            return;
        }
        Matcher restored = RESTORED.matcher(line);
        if (restored.find()) {
            restores.add(new Restore(partitions(restored.group(1)), Long.parseLong(restored.group(2)),
                    Long.parseLong(restored.group(3)), now));
        }
    }

    synchronized List<Assignment> assignments() {
        return List.copyOf(assignments);
    }

    synchronized List<Restore> restores() {
        return List.copyOf(restores);
    }

    /** Every partition assigned so far (this benchmark never revokes from the instance it follows). */
    synchronized Set<Integer> assignedPartitions() {
        Set<Integer> all = new TreeSet<>();
        assignments.forEach(assignment -> all.addAll(assignment.partitions()));
        return all;
    }

    synchronized long warnings() {
        return warnings;
    }

    synchronized long errors() {
        return errors;
    }

    private static Set<Integer> partitions(String list) {
        Set<Integer> partitions = new TreeSet<>();
        Arrays.stream(list.split(",")).map(String::trim).filter(part -> !part.isEmpty())
                .forEach(part -> partitions.add(Integer.parseInt(part)));
        return partitions;
    }
}
