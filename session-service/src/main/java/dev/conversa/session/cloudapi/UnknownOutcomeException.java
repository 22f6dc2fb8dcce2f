package dev.conversa.session.cloudapi;

import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * A request to the Graph API ended without an answer the adapter can use: no connection, a timeout, a connection
 * that broke after the request left, or a {@code 200} without a message id. For a send the outcome is unknown (Meta
 * may have taken it), so this is a {@link TimeoutException} as {@link dev.conversa.session.transport.LiveConnection}
 * asks; the adapter never retries a POST by itself.
 */
public class UnknownOutcomeException extends TimeoutException {

    UnknownOutcomeException(String message, @Nullable Throwable cause) {
        super(message);
        if (cause != null) {
            initCause(cause);
        }
    }
}
