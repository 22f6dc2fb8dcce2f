package dev.conversa.simulator.linked;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

/**
 * A business number with linked devices: its live connections and the queue of frames (messages, and receipts whose
 * device was away) that no device could take yet. Frames go to the most recently opened live connection; while the
 * queue holds anything, new frames join its tail so order is kept. The queue is bounded: when full, the oldest frame
 * is dropped and counted.
 */
final class LinkedAccount {

    private final String number;
    private final int capacity;
    private final ArrayDeque<String> queue = new ArrayDeque<>();
    private final List<DeviceConnection> live = new ArrayList<>(1);
    private final AtomicInteger devices = new AtomicInteger();
    private volatile int queued;
    private long dropped;

    LinkedAccount(String number, int capacity) {
        this.number = number;
        this.capacity = capacity;
    }

    String number() {
        return number;
    }

    /** Devices linked and not revoked. */
    int devices() {
        return devices.get();
    }

    void deviceLinked() {
        devices.incrementAndGet();
    }

    /** Answers how many linked devices remain; the queue is emptied when none does. */
    int deviceRevoked() {
        int left = devices.decrementAndGet();
        if (left <= 0) {
            synchronized (this) {
                queue.clear();
                queued = 0;
            }
        }
        return left;
    }

    int queued() {
        return queued;
    }

    synchronized long dropped() {
        return dropped;
    }

    /** Writes the frame to the live connection, or queues it. */
    synchronized void deliver(String frame) {
        if (queue.isEmpty()) {
            DeviceConnection target = primary();
            if (target != null && target.offerMessage(frame)) {
                return;
            }
        }
        if (queue.size() >= capacity) {
            queue.pollFirst();
            dropped++;
        }
        queue.addLast(frame);
        drainLocked();
    }

    /**
     * Makes {@code connection} the one frames go to: writes the {@code open} frame built from the number of queued
     * frames, then as many queued frames as its buffer takes (the rest follow as it drains).
     */
    synchronized void attach(DeviceConnection connection, IntFunction<String> openFrame) {
        if (connection.state() != DeviceConnection.State.OPEN) {
            return;
        }
        connection.account(this);
        live.remove(connection);
        live.add(connection);
        connection.offer(openFrame.apply(queue.size()));
        drainLocked();
    }

    synchronized void detach(DeviceConnection connection) {
        if (live.remove(connection)) {
            drainLocked();
        }
    }

    synchronized List<DeviceConnection> live() {
        return List.copyOf(live);
    }

    synchronized void drain() {
        drainLocked();
    }

    /** Moves frames to the live connection while it takes them; a frame leaves the queue before it is written. */
    private void drainLocked() {
        DeviceConnection target = primary();
        while (target != null && !queue.isEmpty()) {
            String frame = queue.pollFirst();
            queued = queue.size();
            if (!target.offerMessage(frame)) {
                queue.addFirst(frame);
                break;
            }
        }
        queued = queue.size();
    }

    private @Nullable DeviceConnection primary() {
        return live.isEmpty() ? null : live.getLast();
    }
}
