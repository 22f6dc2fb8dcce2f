package dev.conversa.session.runtime;

import java.util.UUID;

import dev.conversa.events.session.SessionTransport;
import dev.conversa.session.transport.LiveConnection;

/**
 * A session served by this instance: who it belongs to, the partition that makes it ours, and its connection.
 */
public record LiveSession(UUID sessionId, String tenantId, SessionTransport transport, int partition,
        LiveConnection connection) {
}
