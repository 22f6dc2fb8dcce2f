package dev.conversa.session.sessions;

import java.util.UUID;

/**
 * The answer to a command endpoint (202): the command went to the session's owner on {@code wa.commands}.
 *
 * @param command   its CloudEvents type, e.g. {@code conversa.session.restart-requested.v1}
 * @param commandId its CloudEvents id
 */
record CommandAccepted(UUID sessionId, String command, String commandId) {
}
