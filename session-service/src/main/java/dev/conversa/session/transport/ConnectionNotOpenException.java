package dev.conversa.session.transport;

import java.util.UUID;

/** A send or ping reached a connection that is not open: nothing was sent. */
public class ConnectionNotOpenException extends RuntimeException {

    public ConnectionNotOpenException(UUID sessionId) {
        super("The connection of session " + sessionId + " is not open", null, false, false);
    }
}
