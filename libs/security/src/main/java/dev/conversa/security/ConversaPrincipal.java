package dev.conversa.security;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * The caller of a request: who (the token's {@code sub}), for which tenant ({@code tenant_id}, required) and with
 * which realm roles. Handlers take it as a parameter and scope every query to {@link #tenantId()}.
 */
public record ConversaPrincipal(String userId, String tenantId, Set<Role> roles, @Nullable String username) {

    public ConversaPrincipal {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    public boolean has(Role role) {
        return roles.contains(role);
    }

    public boolean hasAny(Role... candidates) {
        return Arrays.stream(candidates).anyMatch(roles::contains);
    }

    /** Supervisors and admins see every conversation of their tenant; agents only their own. */
    public boolean seesWholeTenant() {
        return hasAny(Role.ADMIN, Role.SUPERVISOR, Role.SERVICE);
    }
}
