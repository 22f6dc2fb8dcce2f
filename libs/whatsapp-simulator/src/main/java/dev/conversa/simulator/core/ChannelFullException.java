package dev.conversa.simulator.core;

/** A channel cannot take another message now (its queue is full): the sender should retry later (503). */
public class ChannelFullException extends RuntimeException {

    public ChannelFullException(String message) {
        super(message);
    }
}
