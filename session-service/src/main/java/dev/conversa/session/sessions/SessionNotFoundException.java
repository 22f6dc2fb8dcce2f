package dev.conversa.session.sessions;

import java.util.UUID;

/** A lifecycle call named a session that does not exist (never created, or deleted meanwhile). */
public class SessionNotFoundException extends RuntimeException {

    private final UUID sessionId;

    public SessionNotFoundException(UUID sessionId) {
        super("Session " + sessionId + " does not exist");
        this.sessionId = sessionId;
    }

    public UUID sessionId() {
        return sessionId;
    }
}
