package dev.conversa.session.sessions;

/** The answer of {@code POST /api/v1/sessions/cleanup-inactive}: how many sessions became {@code inactive}. */
record CleanupResult(int days, long markedInactive) {
}
