package dev.conversa.simulator.linked;

import org.jspecify.annotations.Nullable;

/** What a paired device keeps to reconnect: sent in {@code pair-success}, presented in {@code hello}. */
record Credentials(@Nullable String deviceId, @Nullable String secret) {
}
