package dev.conversa.session.sessions;

import java.util.UUID;

import dev.conversa.events.session.SessionStatus;

/**
 * A status move that {@link SessionTransitions} does not allow from the session's current status. Nothing was
 * written and no event was emitted.
 */
public class IllegalSessionTransitionException extends RuntimeException {

    private final UUID sessionId;
    private final SessionStatus from;
    private final SessionStatus to;

    public IllegalSessionTransitionException(UUID sessionId, SessionStatus from, SessionStatus to) {
        super("Session " + sessionId + " cannot move from " + from.value() + " to " + to.value());
        this.sessionId = sessionId;
        this.from = from;
        this.to = to;
    }

    public UUID sessionId() {
        return sessionId;
    }

    public SessionStatus from() {
        return from;
    }

    public SessionStatus to() {
        return to;
    }
}
