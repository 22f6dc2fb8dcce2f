package dev.conversa.session.sessions;

import java.util.Map;

/**
 * {@code GET /api/v1/sessions/stats}: the tenant's sessions per status (every status present, zeros included, in
 * lifecycle order) and totals.
 */
record SessionStats(Map<String, Long> byStatus, long total, long messagesSent, long messagesReceived) {
}
