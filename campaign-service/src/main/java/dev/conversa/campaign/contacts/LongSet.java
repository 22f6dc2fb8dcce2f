package dev.conversa.campaign.contacts;

/**
 * A set of positive longs with open addressing: the E.164 numbers already seen in a file (as their digits), without
 * a boxed object per row. Not thread-safe.
 */
final class LongSet {

    private long[] slots = new long[1 << 12];
    private int size;

    /** Adds {@code value} (must be positive); false when it was already there. */
    boolean add(long value) {
        if (value <= 0) {
            throw new IllegalArgumentException("only positive values");
        }
        if ((size + 1) * 2 > slots.length) {
            grow();
        }
        return insert(slots, value);
    }

    int size() {
        return size;
    }

    private boolean insert(long[] table, long value) {
        int mask = table.length - 1;
        int i = mix(value) & mask;
        while (table[i] != 0) {
            if (table[i] == value) {
                return false;
            }
            i = (i + 1) & mask;
        }
        table[i] = value;
        if (table == slots) {
            size++;
        }
        return true;
    }

    private void grow() {
        long[] old = slots;
        long[] bigger = new long[old.length * 2];
        for (long value : old) {
            if (value != 0) {
                int mask = bigger.length - 1;
                int i = mix(value) & mask;
                while (bigger[i] != 0) {
                    i = (i + 1) & mask;
                }
                bigger[i] = value;
            }
        }
        slots = bigger;
    }

    private static int mix(long value) {
        long h = value * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }
}
