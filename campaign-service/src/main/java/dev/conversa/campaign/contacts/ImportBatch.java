package dev.conversa.campaign.contacts;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.UUID;

/**
 * The rows of one write: contacts to upsert (column arrays, ready for {@code unnest}), rejected lines, and the
 * counters they add to the job. Filled by {@link ImportPipeline#prepare} (contacts in file order, with the number's
 * digits in {@link #numbers}), then finished by {@link ImportPipeline#dedupe}: numbers seen earlier in the file are
 * dropped and counted as duplicates, the contacts get their ids and are sorted by number (see {@link #sortByNumber}).
 */
final class ImportBatch {

    private static final SecureRandom RANDOM = new SecureRandom();

    UUID[] ids;
    final String[] phones;
    final long[] numbers;
    final String[] names;
    final String[] attributes;
    final String[] groups;
    final String[] tags;
    int contacts;
    final long[] rejectionLines;
    final String[] rejectionReasons;
    int rejections;
    long rowsRead;
    long duplicates;

    ImportBatch(int capacity) {
        ids = new UUID[0];
        phones = new String[capacity];
        numbers = new long[capacity];
        names = new String[capacity];
        attributes = new String[capacity];
        groups = new String[capacity];
        tags = new String[capacity];
        rejectionLines = new long[capacity];
        rejectionReasons = new String[capacity];
    }

    void reject(long line, String reason) {
        rejectionLines[rejections] = line;
        rejectionReasons[rejections] = reason;
        rejections++;
    }

    boolean isEmpty() {
        return rowsRead == 0;
    }

    /** Moves contact {@code from} to position {@code to} (from ≥ to), for dropping duplicates in place. */
    void move(int from, int to) {
        if (from != to) {
            phones[to] = phones[from];
            numbers[to] = numbers[from];
            names[to] = names[from];
            attributes[to] = attributes[from];
            groups[to] = groups[from];
            tags[to] = tags[from];
        }
    }

    /**
     * Orders the contacts by number, so every batch of every import takes its row locks in the same order: two
     * imports writing overlapping numbers at the same time wait for each other instead of deadlocking.
     */
    void sortByNumber() {
        int n = contacts;
        boolean sorted = true;
        for (int i = 1; i < n && sorted; i++) {
            sorted = numbers[i - 1] < numbers[i];
        }
        if (sorted) {
            return;
        }
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(numbers[a], numbers[b]));
        permute(phones, order);
        permute(names, order);
        permute(attributes, order);
        permute(groups, order);
        permute(tags, order);
        long[] sortedNumbers = new long[n];
        for (int i = 0; i < n; i++) {
            sortedNumbers[i] = numbers[order[i]];
        }
        System.arraycopy(sortedNumbers, 0, numbers, 0, n);
    }

    private void permute(String[] column, Integer[] order) {
        String[] copy = Arrays.copyOf(column, contacts);
        for (int i = 0; i < contacts; i++) {
            column[i] = copy[order[i]];
        }
    }

    /**
     * Time-ordered ids (RFC 9562 version 7, the layout of {@code Uuids.v7}) for the contacts, with the random bits
     * of the whole batch drawn in one call: one {@code SecureRandom} call per id costs microseconds and serialises
     * the threads preparing batches.
     */
    void assignIds() {
        int n = contacts;
        UUID[] assigned = new UUID[n];
        byte[] random = new byte[n * 10];
        RANDOM.nextBytes(random);
        long millis = System.currentTimeMillis();
        for (int i = 0, at = 0; i < n; i++, at += 10) {
            long randA = ((random[at] & 0xFFL) << 4 | (random[at + 1] & 0xF0L) >>> 4) & 0xFFF;
            long randB = 0;
            for (int b = 2; b < 10; b++) {
                randB = randB << 8 | (random[at + b] & 0xFFL);
            }
            long msb = (millis << 16) | (0x7L << 12) | randA;
            long lsb = (randB & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
            assigned[i] = new UUID(msb, lsb);
        }
        ids = assigned;
    }

    /**
     * The first {@link #contacts} values of a column as one PostgreSQL array literal ({@code {"a","b",NULL}}), for a
     * {@code :param::text[]} parameter: one string per column and batch instead of one encoded and escaped element
     * at a time by the driver, which sends arrays as this same text anyway. Every value is quoted, with {@code "}
     * and {@code \} escaped by a backslash; null is {@code NULL}.
     */
    String arrayLiteral(Object[] column) {
        StringBuilder out = new StringBuilder(contacts * 24 + 2);
        out.append('{');
        for (int i = 0; i < contacts; i++) {
            if (i > 0) {
                out.append(',');
            }
            Object value = column[i];
            if (value == null) {
                out.append("NULL");
                continue;
            }
            String text = value.toString();
            out.append('"');
            int from = 0;
            for (int c = 0; c < text.length(); c++) {
                char ch = text.charAt(c);
                if (ch == '"' || ch == '\\') {
                    out.append(text, from, c).append('\\').append(ch);
                    from = c + 1;
                }
            }
            out.append(text, from, text.length()).append('"');
        }
        return out.append('}').toString();
    }

    Long[] lines() {
        Long[] lines = new Long[rejections];
        for (int i = 0; i < rejections; i++) {
            lines[i] = rejectionLines[i];
        }
        return lines;
    }

    String[] reasons() {
        return Arrays.copyOf(rejectionReasons, rejections);
    }
}
