package dev.conversa.simulator.media;

/** An upload the simulator refuses, as WhatsApp would: too large for its type, or a type WhatsApp does not take. */
public class MediaRejectedException extends RuntimeException {

    public enum Reason {
        TOO_LARGE, UNSUPPORTED_TYPE, MISSING_FILE
    }

    private final Reason reason;

    public MediaRejectedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
