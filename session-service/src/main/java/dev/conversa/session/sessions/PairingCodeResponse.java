package dev.conversa.session.sessions;

import java.time.Instant;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

/**
 * The answer to {@code POST /api/v1/sessions/{id}/pairing-code}: {@code 200} with the code to type on the phone
 * when the session's owner got it in time, else {@code 202} without it (it follows as
 * {@code conversa.session.pairing-code.v1} on the event stream).
 *
 * @param code      8 characters, shown to people as {@code ABCD-2345}
 * @param command   the CloudEvents type of the command sent to the owner
 * @param commandId its CloudEvents id
 */
record PairingCodeResponse(UUID sessionId, String phoneNumber, @Nullable String code, @Nullable Instant expiresAt,
        String command, String commandId) {
}
