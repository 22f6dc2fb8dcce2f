package dev.conversa.campaign.contacts;

import java.util.Arrays;
import java.util.UUID;

/**
 * The rows of one write: contacts to upsert (column arrays, ready for {@code unnest}), rejected lines, and the
 * counters they add to the job.
 */
final class ImportBatch {

    final UUID[] ids;
    final String[] phones;
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
        ids = new UUID[capacity];
        phones = new String[capacity];
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

    <T> T[] cut(T[] column) {
        return column.length == contacts ? column : Arrays.copyOf(column, contacts);
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
