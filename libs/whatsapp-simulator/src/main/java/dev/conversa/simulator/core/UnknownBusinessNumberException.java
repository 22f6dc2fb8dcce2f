package dev.conversa.simulator.core;

/** No linked device and no Cloud API number is registered for this business number. */
public class UnknownBusinessNumberException extends RuntimeException {

    public UnknownBusinessNumberException(String number) {
        super("No linked device or Cloud API number serves " + number);
    }
}
