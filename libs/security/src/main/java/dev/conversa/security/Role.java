package dev.conversa.security;

import java.util.Locale;
import java.util.Optional;

/** Keycloak realm roles of the {@code conversa} realm. */
public enum Role {
    ADMIN, SUPERVISOR, AGENT, BOT, SERVICE;

    /** The Spring Security authority, {@code ROLE_ADMIN} etc. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** The role named in a token ({@code "admin"}), or empty for roles Conversa does not know. */
    public static Optional<Role> fromClaim(String value) {
        for (Role role : values()) {
            if (role.name().equals(value.toUpperCase(Locale.ROOT))) {
                return Optional.of(role);
            }
        }
        return Optional.empty();
    }
}
