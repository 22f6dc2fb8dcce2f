package dev.conversa.session.authstate;

/** Stored auth state that cannot be decrypted: its key is gone or the data was altered. The session must re-pair. */
public class AuthStateUnreadableException extends RuntimeException {

    public AuthStateUnreadableException(String message) {
        super(message);
    }

    public AuthStateUnreadableException(String message, Throwable cause) {
        super(message, cause);
    }
}
