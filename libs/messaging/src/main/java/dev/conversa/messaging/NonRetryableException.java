package dev.conversa.messaging;

/** Thrown by a handler for a record that can never succeed (bad data, unknown reference): dead-lettered at once. */
public class NonRetryableException extends RuntimeException {

    public NonRetryableException(String message) {
        super(message);
    }

    public NonRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
