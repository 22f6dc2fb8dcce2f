package dev.conversa.session.linked;

import java.util.Arrays;

/**
 * The {@code deliveryId}s of the last {@code capacity} frames a session handled, to recognise the server's
 * redeliveries (at-least-once: a frame whose {@code delivery.ack} was lost with its connection comes again, byte for
 * byte). Ids are kept as 64-bit hashes in a ring that grows on demand, so an idle session costs nothing and a busy
 * one 8 bytes per id (8 KB for 1,000) instead of the ~150 bytes of a {@code String} in a set: 5,000 sessions must fit
 * one heap. A hash collision would make a new frame look handled; at 64 bits and 1,000 ids its chance is about
 * 10⁻¹⁴ per frame. Thread-safe.
 */
final class RecentDeliveryIds {

    private static final int INITIAL = 16;

    private final int capacity;
    private long[] ring = new long[0];
    private int size;
    private int next;

    RecentDeliveryIds(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1");
        }
        this.capacity = capacity;
    }

    synchronized boolean contains(String deliveryId) {
        long hash = hash(deliveryId);
        for (int i = 0; i < size; i++) {
            if (ring[i] == hash) {
                return true;
            }
        }
        return false;
    }

    /** Remembers {@code deliveryId}, forgetting the oldest id once {@code capacity} are kept. */
    synchronized void add(String deliveryId) {
        long hash = hash(deliveryId);
        if (size < capacity) {
            if (size == ring.length) {
                ring = Arrays.copyOf(ring, Math.min(capacity, Math.max(INITIAL, ring.length * 2)));
            }
            ring[size++] = hash;
            return;
        }
        ring[next] = hash;
        next = (next + 1) % capacity;
    }

    synchronized int size() {
        return size;
    }

    /** FNV-1a over the chars, then MurmurHash3's 64-bit finaliser to spread the bits. */
    static long hash(String value) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < value.length(); i++) {
            hash ^= value.charAt(i);
            hash *= 0x100000001b3L;
        }
        hash ^= hash >>> 33;
        hash *= 0xff51afd7ed558ccdL;
        hash ^= hash >>> 33;
        hash *= 0xc4ceb9fe1a85ec53L;
        hash ^= hash >>> 33;
        return hash;
    }
}
