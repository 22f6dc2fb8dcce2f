package dev.conversa.simulator.linked;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import org.jspecify.annotations.Nullable;

/**
 * A business number with linked devices: its live connections, the queue of frames (messages, and receipts whose
 * device was away) that no device could take yet, and the frames written to a connection that its device has not
 * acknowledged yet ({@code delivery.ack}).
 *
 * <p>Frames go to the most recently opened live connection; while the queue holds anything, new frames join its tail
 * so order is kept. A frame written to a connection stays here, keyed by its {@code deliveryId}, until that connection
 * acknowledges it. When the connection ends, its unacknowledged frames go back to the head of the queue in the order
 * they were written, so they are delivered again (byte-identical) ahead of anything queued later.
 *
 * <p>Queued and unacknowledged frames share one bound, {@code capacity}: when it is reached, the oldest frame is
 * dropped and counted. The oldest is the first unacknowledged frame if there is one (it would be redelivered first),
 * else the head of the queue.
 *
 * <p>The queue, the unacknowledged frames and the live connections are guarded by this object's lock; the counters
 * read without it are volatile and written under it. A thread holding the lock may write to a connection, but never
 * takes a connection's lock (see {@link DeviceConnection}). A frame is written to its connection a moment before it is
 * counted, so the device may already hold it while the volatile counters lag: {@link #counters()} takes the lock and
 * sees every frame a device has received.
 */
final class LinkedAccount {

    private final String number;
    private final int capacity;
    private final ArrayDeque<Frame> queue = new ArrayDeque<>();
    private final LinkedHashMap<String, Frame> unacknowledged = new LinkedHashMap<>();
    private final List<DeviceConnection> live = new ArrayList<>(1);
    private final AtomicInteger devices = new AtomicInteger();
    private volatile int queued;
    private volatile int unacked;
    private volatile long dropped;
    private volatile long redelivered;

    LinkedAccount(String number, int capacity) {
        this.number = number;
        this.capacity = capacity;
    }

    /** A consistent view of the queue and delivery counters. */
    record Counters(int queued, int unacknowledged, long dropped, long redelivered) {
    }

    /** A message or receipt frame and, once written, the connection that has not acknowledged it yet. */
    private static final class Frame {

        final String deliveryId;
        final String text;
        @Nullable DeviceConnection connection;
        /** Written before, to a connection that ended without acknowledging it. */
        boolean redelivery;

        Frame(String deliveryId, String text) {
            this.deliveryId = deliveryId;
            this.text = text;
        }
    }

    /** Where {@link #deliverTo} put a frame. */
    enum Outcome {
        /** Written to the connection. */
        WRITTEN,
        /** Not taken: the connection's buffer is full. */
        FULL,
        /** Not taken: the connection is no longer live for this number. */
        GONE
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

    /** Answers how many linked devices remain; queued and unacknowledged frames are discarded when none does. */
    int deviceRevoked() {
        int left = devices.decrementAndGet();
        if (left <= 0) {
            synchronized (this) {
                queue.clear();
                unacknowledged.clear();
                counted();
            }
        }
        return left;
    }

    /** The counters as they are once no write is in progress (waits for one that is). */
    synchronized Counters counters() {
        return new Counters(queue.size(), unacknowledged.size(), dropped, redelivered);
    }

    /** Frames waiting for a connection (lock-free; may lag a write in progress). */
    int queued() {
        return queued;
    }

    /** Frames written to a live connection and not acknowledged yet. */
    int unacknowledged() {
        return unacked;
    }

    /** Frames dropped because queued and unacknowledged frames reached the capacity. */
    long dropped() {
        return dropped;
    }

    /** Frames written again after the connection they were first written to ended without acknowledging them. */
    long redelivered() {
        return redelivered;
    }

    /** Writes the frame to the live connection, or queues it. */
    synchronized void deliver(String deliveryId, String text) {
        deliverLocked(new Frame(deliveryId, text));
    }

    /**
     * Writes the frame to {@code target} (one device's live connection, for a receipt) even if other frames are
     * queued; when it is not live for this number (not yet opened, or ending), the frame is delivered like any other
     * while the number has a device. Nothing happens when {@code target}'s buffer is full: the caller decides (the
     * connection does not read its frames).
     */
    synchronized Outcome deliverTo(DeviceConnection target, String deliveryId, String text) {
        Frame frame = new Frame(deliveryId, text);
        if (!live.contains(target)) {
            if (devices.get() > 0) {
                deliverLocked(frame);
            }
            return Outcome.GONE;
        }
        if (!target.offer(text)) {
            return Outcome.FULL;
        }
        makeRoom();
        written(frame, target);
        counted();
        return Outcome.WRITTEN;
    }

    /**
     * The device on {@code connection} has these frames: they are forgotten. Ids that are unknown, already
     * acknowledged, or were written to another connection are ignored.
     */
    synchronized void acknowledge(DeviceConnection connection, Collection<String> deliveryIds) {
        for (String deliveryId : deliveryIds) {
            if (deliveryId == null) {
                continue;
            }
            Frame frame = unacknowledged.get(deliveryId);
            if (frame != null && frame.connection == connection) {
                unacknowledged.remove(deliveryId);
            }
        }
        counted();
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

    /**
     * The connection ended: the frames it did not acknowledge go back to the head of the queue, in the order they
     * were written (or are discarded if no device of the number remains), and the queue drains to the next live
     * connection if there is one.
     */
    synchronized void detach(DeviceConnection connection) {
        if (live.remove(connection)) {
            requeue(connection);
            drainLocked();
        }
    }

    synchronized List<DeviceConnection> live() {
        return List.copyOf(live);
    }

    synchronized void drain() {
        drainLocked();
    }

    private void deliverLocked(Frame frame) {
        if (queue.isEmpty()) {
            DeviceConnection target = primary();
            if (target != null && target.offerMessage(frame.text)) {
                makeRoom();
                written(frame, target);
                counted();
                return;
            }
        }
        makeRoom();
        queue.addLast(frame);
        drainLocked();
    }

    /** Moves frames to the live connection while it takes them; a frame leaves the queue before it is written. */
    private void drainLocked() {
        DeviceConnection target = primary();
        while (target != null && !queue.isEmpty()) {
            Frame frame = queue.pollFirst();
            // published before the write: the reader may take the frame before this loop ends
            queued = queue.size();
            if (!target.offerMessage(frame.text)) {
                queue.addFirst(frame);
                break;
            }
            written(frame, target);
        }
        counted();
    }

    private void written(Frame frame, DeviceConnection connection) {
        if (frame.redelivery) {
            redelivered++;
        }
        frame.connection = connection;
        unacknowledged.put(frame.deliveryId, frame);
    }

    /** Puts the connection's unacknowledged frames back at the head of the queue, keeping their write order. */
    private void requeue(DeviceConnection connection) {
        if (unacknowledged.isEmpty()) {
            return;
        }
        boolean keep = devices.get() > 0;
        List<Frame> returned = new ArrayList<>();
        Iterator<Frame> frames = unacknowledged.values().iterator();
        while (frames.hasNext()) {
            Frame frame = frames.next();
            if (frame.connection == connection) {
                frames.remove();
                if (keep) {
                    returned.add(frame);
                }
            }
        }
        for (int i = returned.size() - 1; i >= 0; i--) {
            Frame frame = returned.get(i);
            frame.connection = null;
            frame.redelivery = true;
            queue.addFirst(frame);
        }
        counted();
    }

    /** Drops the oldest frame while queued and unacknowledged frames fill the capacity, so one more fits. */
    private void makeRoom() {
        while (queue.size() + unacknowledged.size() >= capacity) {
            if (!unacknowledged.isEmpty()) {
                Iterator<Frame> oldest = unacknowledged.values().iterator();
                oldest.next();
                oldest.remove();
            }
            else {
                queue.pollFirst();
            }
            dropped++;
        }
    }

    private void counted() {
        queued = queue.size();
        unacked = unacknowledged.size();
    }

    private @Nullable DeviceConnection primary() {
        return live.isEmpty() ? null : live.getLast();
    }
}
