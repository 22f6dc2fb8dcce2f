package dev.conversa.events.cloudevents;

/** A record that is not a readable Conversa CloudEvent: missing attributes or an undecodable payload. Not retryable. */
public class InvalidEventException extends RuntimeException {

    public InvalidEventException(String message) {
        super(message);
    }

    public InvalidEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
